#!/bin/sh
# Build the lab's multiboot guest kernel: guest/build.sh OUT_DIR -> OUT_DIR/guest.elf
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 OUT_DIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
out_dir=$1
mkdir -p "$out_dir"
CC=${CC:-gcc}

$CC -m32 -march=i686 -O2 -ffreestanding -nostdlib -static -fno-pic -no-pie \
    -fno-stack-protector -fno-asynchronous-unwind-tables -mgeneral-regs-only \
    -Wall -Wextra -Werror \
    -Wl,--build-id=none -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments \
    -T "$here/guest.ld" -o "$out_dir/guest.elf.tmp" "$here/guest.c"

# The multiboot header must lie in the first 8 KiB of the file, 4-byte aligned.
python3 - "$out_dir/guest.elf.tmp" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read(8192)
for off in range(0, len(data) - 11, 4):
    magic, flags, checksum = struct.unpack_from("<III", data, off)
    if magic == 0x1BADB002 and (magic + flags + checksum) & 0xFFFFFFFF == 0:
        sys.exit(0)
sys.exit("multiboot header not found in the first 8 KiB")
PY
mv "$out_dir/guest.elf.tmp" "$out_dir/guest.elf"
echo "$out_dir/guest.elf"
