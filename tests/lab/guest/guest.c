/*
 * migration-monitor test lab: a tiny multiboot guest that makes live
 * migrations interesting.
 *
 * Booted by QEMU through <os><kernel>/<cmdline>. QEMU hands the kernel the
 * command line as "<kernel path> <cmdline>", so words are matched anywhere.
 *
 *   mode=fill                 write every 4 KiB page above the kernel once,
 *                             then halt for good.
 *   mode=dirty rate=R ws=W    R = pages per second or "max";
 *                             W = working set in MiB or "all".
 *                             Fill the working set once, then keep rewriting
 *                             its pages cyclically at R pages per second,
 *                             paced in wall time by the TSC (calibrated
 *                             against the RTC seconds register at boot).
 *
 * A line goes to the serial port (COM1) at boot and after the first fill.
 *
 * Built 32-bit freestanding without libgcc: no 64-bit division anywhere.
 */
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* Multiboot header and entry point                                    */
/* ------------------------------------------------------------------ */

#define MB_HEADER_MAGIC 0x1BADB002u
#define MB_HEADER_FLAGS 0x00000003u /* page-aligned modules, memory info */
#define MB_BOOT_MAGIC 0x2BADB002u

#define MBI_FLAG_MEM (1u << 0)
#define MBI_FLAG_CMDLINE (1u << 2)
#define MBI_FLAG_MMAP (1u << 6)

struct mb_header {
    uint32_t magic;
    uint32_t flags;
    uint32_t checksum;
};

__attribute__((section(".multiboot"), used, aligned(4))) static const struct mb_header
    multiboot_header = {MB_HEADER_MAGIC, MB_HEADER_FLAGS, (uint32_t)(0u - (MB_HEADER_MAGIC + MB_HEADER_FLAGS))};

#define BOOT_STACK_SIZE 16384
__attribute__((used, aligned(16))) static uint8_t boot_stack[BOOT_STACK_SIZE];

void kmain(uint32_t magic, uint32_t info_addr);

/* Multiboot enters in 32-bit protected mode, paging off, interrupts off,
 * eax = boot magic, ebx = physical address of the multiboot information.
 * Clear .bss (which holds the stack) before using any stack. */
__asm__(".section .text\n"
        ".global _start\n"
        ".type _start, @function\n"
        "_start:\n"
        "    cli\n"
        "    cld\n"
        "    movl %eax, %esi\n"
        "    movl $__bss_start, %edi\n"
        "    movl $__bss_end, %ecx\n"
        "    subl %edi, %ecx\n"
        "    xorl %eax, %eax\n"
        "    rep stosb\n"
        "    movl $boot_stack + " "16384" ", %esp\n"
        "    subl $8, %esp\n"
        "    pushl %ebx\n"
        "    pushl %esi\n"
        "    call kmain\n"
        "1:  cli\n"
        "    hlt\n"
        "    jmp 1b\n");

extern char _end[];

/* ------------------------------------------------------------------ */
/* Port I/O, TSC, halting                                              */
/* ------------------------------------------------------------------ */

static inline void outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
    __asm__ volatile("pause" ::: "memory");
}

static void __attribute__((noreturn)) halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt" ::: "memory");
}

/* ------------------------------------------------------------------ */
/* Serial console (COM1, 115200 8N1)                                   */
/* ------------------------------------------------------------------ */

#define COM1 0x3f8

static void serial_init(void)
{
    outb(COM1 + 1, 0x00); /* no interrupts */
    outb(COM1 + 3, 0x80); /* DLAB on */
    outb(COM1 + 0, 0x01); /* divisor 1: 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1, DLAB off */
    outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
    outb(COM1 + 4, 0x03); /* DTR, RTS */
}

static void serial_putc(char c)
{
    uint32_t spins = 0;
    while (!(inb(COM1 + 5) & 0x20) && ++spins < 1000000u)
        cpu_relax();
    outb(COM1, (uint8_t)c);
}

static void serial_puts(const char *s)
{
    for (; *s; ++s) {
        if (*s == '\n')
            serial_putc('\r');
        serial_putc(*s);
    }
}

/* Divide a 64-bit value by 10 with 32-bit operations only (no libgcc). */
static uint64_t divmod10_u64(uint64_t value, uint32_t *remainder)
{
    uint32_t hi = (uint32_t)(value >> 32);
    uint32_t lo = (uint32_t)value;
    uint32_t q_hi = hi / 10u;
    uint32_t r = hi % 10u;
    uint32_t t = (r << 16) | (lo >> 16); /* r < 10, so t < 2^20 */
    uint32_t q1 = t / 10u;
    r = t % 10u;
    t = (r << 16) | (lo & 0xffffu);
    uint32_t q2 = t / 10u;
    *remainder = t % 10u;
    return ((uint64_t)q_hi << 32) | (q1 << 16) | q2;
}

static void serial_put_u64(uint64_t value)
{
    char buf[24];
    int i = (int)sizeof(buf) - 1;
    buf[i] = '\0';
    do {
        uint32_t digit;
        value = divmod10_u64(value, &digit);
        buf[--i] = (char)('0' + digit);
    } while (value != 0 && i > 0);
    serial_puts(&buf[i]);
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

#define CMDLINE_MAX 512
static char cmdline[CMDLINE_MAX];

enum mode { MODE_NONE, MODE_FILL, MODE_DIRTY, MODE_BAD };

struct config {
    enum mode mode;
    int rate_max;     /* rate=max */
    uint32_t rate;    /* pages per second */
    int ws_all;       /* ws=all */
    uint32_t ws_mib;  /* working set in MiB */
    int bad_value;    /* a value that did not parse */
};

static int starts_with(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return 0;
    return 1;
}

/* Compare the word at s (ending at a space or NUL) with an exact string. */
static int word_is(const char *s, const char *word)
{
    while (*word)
        if (*s++ != *word++)
            return 0;
    return *s == '\0' || *s == ' ';
}

/* Parse a decimal number ending at a space or NUL; 0 on failure. */
static int parse_u32(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    int digits = 0;
    for (; *s && *s != ' '; ++s) {
        if (*s < '0' || *s > '9')
            return 0;
        if (v > 400000000u)
            return 0;
        v = v * 10u + (uint32_t)(*s - '0');
        ++digits;
    }
    *out = v;
    return digits > 0;
}

static void parse_cmdline(const char *s, struct config *cfg)
{
    cfg->mode = MODE_NONE;
    cfg->rate_max = 1;
    cfg->rate = 0;
    cfg->ws_all = 1;
    cfg->ws_mib = 0;
    cfg->bad_value = 0;

    while (*s) {
        while (*s == ' ' || *s == '\t')
            ++s;
        if (!*s)
            break;
        if (starts_with(s, "mode=")) {
            const char *v = s + 5;
            if (word_is(v, "fill"))
                cfg->mode = MODE_FILL;
            else if (word_is(v, "dirty"))
                cfg->mode = MODE_DIRTY;
            else
                cfg->mode = MODE_BAD;
        } else if (starts_with(s, "rate=")) {
            const char *v = s + 5;
            if (word_is(v, "max")) {
                cfg->rate_max = 1;
            } else if (parse_u32(v, &cfg->rate)) {
                cfg->rate_max = 0;
            } else {
                cfg->bad_value = 1;
            }
        } else if (starts_with(s, "ws=")) {
            const char *v = s + 3;
            if (word_is(v, "all")) {
                cfg->ws_all = 1;
            } else if (parse_u32(v, &cfg->ws_mib) && cfg->ws_mib > 0) {
                cfg->ws_all = 0;
            } else {
                cfg->bad_value = 1;
            }
        }
        while (*s && *s != ' ' && *s != '\t')
            ++s;
    }
}

/* ------------------------------------------------------------------ */
/* Memory layout                                                       */
/* ------------------------------------------------------------------ */

#define PAGE_SIZE 4096u
#define ONE_MIB 0x100000u

struct mb_info {
    uint32_t flags;
    uint32_t mem_lower;
    uint32_t mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count;
    uint32_t mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length;
    uint32_t mmap_addr;
};

struct __attribute__((packed)) mb_mmap_entry {
    uint32_t size;
    uint64_t addr;
    uint64_t len;
    uint32_t type;
};

/* End (exclusive) of the RAM region that holds the kernel at 1 MiB. */
static uint32_t find_memory_end(const struct mb_info *mbi)
{
    uint64_t end = 0;

    if (mbi->flags & MBI_FLAG_MMAP) {
        uint32_t p = mbi->mmap_addr;
        uint32_t stop = mbi->mmap_addr + mbi->mmap_length;
        while (p + 4 <= stop) {
            const struct mb_mmap_entry *e = (const struct mb_mmap_entry *)p;
            if (e->type == 1 && e->addr <= ONE_MIB && e->addr + e->len > ONE_MIB)
                end = e->addr + e->len;
            p += e->size + 4;
        }
    }
    if (end == 0 && (mbi->flags & MBI_FLAG_MEM))
        end = (uint64_t)ONE_MIB + (uint64_t)mbi->mem_upper * 1024u;
    if (end > 0xfffff000u)
        end = 0xfffff000u;
    return (uint32_t)end & ~(PAGE_SIZE - 1);
}

/* ------------------------------------------------------------------ */
/* RTC and TSC calibration                                             */
/* ------------------------------------------------------------------ */

static uint8_t cmos_read(uint8_t reg)
{
    outb(0x70, (uint8_t)(0x80 | reg)); /* bit 7: keep NMI disabled */
    return inb(0x71);
}

static uint8_t rtc_seconds(void)
{
    uint32_t spins = 0;
    while ((cmos_read(0x0a) & 0x80) && ++spins < 1000000u) /* update in progress */
        cpu_relax();
    return cmos_read(0x00);
}

/* Ticks of the TSC in one second of the RTC; 0 if the RTC never ticked. */
static uint64_t calibrate_tsc(void)
{
    /* Give up after 2^36 ticks (over 10 s below 6 GHz). */
    const uint64_t limit = (uint64_t)1 << 36;
    uint64_t start = rdtsc();
    uint8_t s = rtc_seconds();

    while (rtc_seconds() == s)
        if (rdtsc() - start > limit)
            return 0;
    uint64_t t0 = rdtsc();
    s = rtc_seconds();
    while (rtc_seconds() == s)
        if (rdtsc() - t0 > limit)
            return 0;
    return rdtsc() - t0;
}

/* ------------------------------------------------------------------ */
/* Workloads                                                           */
/* ------------------------------------------------------------------ */

static uint32_t write_counter;

static inline void touch_page(uint32_t addr)
{
    *(volatile uint32_t *)addr = ++write_counter;
}

static void run_dirty(const struct config *cfg, uint32_t start, uint32_t end)
{
    uint32_t total_pages = (end - start) / PAGE_SIZE;
    uint32_t ws_pages = total_pages;
    if (!cfg->ws_all && cfg->ws_mib < total_pages / 256u)
        ws_pages = cfg->ws_mib * 256u;

    uint64_t hz = 0;
    if (!cfg->rate_max) {
        hz = calibrate_tsc();
        if (hz == 0) {
            serial_puts("guest: RTC did not tick, assuming 1 GHz TSC\n");
            hz = 1000000000u;
        }
    }

    serial_puts("guest: mode=dirty rate=");
    if (cfg->rate_max)
        serial_puts("max");
    else
        serial_put_u64(cfg->rate);
    serial_puts(" ws_pages=");
    serial_put_u64(ws_pages);
    serial_puts(" tsc_hz=");
    if (cfg->rate_max)
        serial_puts("uncalibrated");
    else
        serial_put_u64(hz);
    serial_puts(" mem_end=");
    serial_put_u64(end);
    serial_puts("\n");

    uint32_t ws_end = start + ws_pages * PAGE_SIZE;
    for (uint32_t p = start; p < ws_end; p += PAGE_SIZE)
        touch_page(p);
    serial_puts("guest: working set filled\n");

    uint32_t cursor = start;
    if (cfg->rate_max) {
        for (;;) {
            touch_page(cursor);
            cursor += PAGE_SIZE;
            if (cursor >= ws_end)
                cursor = start;
        }
    }

    /* Pace in chunks of 1/64 s: each chunk writes rate/64 pages, the
     * remainder carried over, so 64 chunks write exactly `rate` pages. */
    const uint64_t chunk_ticks = hz >> 6;
    uint32_t carry = 0;
    uint64_t next = rdtsc() + chunk_ticks;
    for (;;) {
        carry += cfg->rate;
        uint32_t n = carry >> 6;
        carry &= 63u;
        while (n--) {
            touch_page(cursor);
            cursor += PAGE_SIZE;
            if (cursor >= ws_end)
                cursor = start;
        }
        uint64_t now = rdtsc();
        /* A TSC that jumped backwards (or a far-off deadline): resync. */
        if ((int64_t)(next - now) > (int64_t)(2 * chunk_ticks))
            next = now + chunk_ticks;
        while ((int64_t)(rdtsc() - next) < 0)
            cpu_relax();
        now = rdtsc();
        /* More than a second behind (guest paused): do not burst to catch up. */
        if ((int64_t)(now - next) > (int64_t)hz)
            next = now;
        next += chunk_ticks;
    }
}

void kmain(uint32_t magic, uint32_t info_addr)
{
    serial_init();
    if (magic != MB_BOOT_MAGIC) {
        serial_puts("guest: not booted by a multiboot loader\n");
        halt_forever();
    }
    const struct mb_info *mbi = (const struct mb_info *)info_addr;

    /* Copy what we need from the boot information first: QEMU places it
     * right after the kernel, in the memory about to be overwritten. */
    cmdline[0] = '\0';
    if (mbi->flags & MBI_FLAG_CMDLINE) {
        const char *src = (const char *)mbi->cmdline;
        uint32_t i = 0;
        for (; i < CMDLINE_MAX - 1 && src[i]; ++i)
            cmdline[i] = src[i];
        cmdline[i] = '\0';
    }
    uint32_t start = ((uint32_t)_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint32_t end = find_memory_end(mbi);

    struct config cfg;
    parse_cmdline(cmdline, &cfg);

    serial_puts("guest: cmdline=\"");
    serial_puts(cmdline);
    serial_puts("\"\n");

    if (end <= start) {
        serial_puts("guest: no memory above the kernel\n");
        halt_forever();
    }
    if (cfg.bad_value || cfg.mode == MODE_BAD || (cfg.mode == MODE_DIRTY && !cfg.rate_max && cfg.rate == 0)) {
        serial_puts("guest: bad command line, halting\n");
        halt_forever();
    }

    switch (cfg.mode) {
    case MODE_FILL: {
        serial_puts("guest: mode=fill pages=");
        serial_put_u64((end - start) / PAGE_SIZE);
        serial_puts(" mem_end=");
        serial_put_u64(end);
        serial_puts("\n");
        for (uint32_t p = start; p < end; p += PAGE_SIZE)
            touch_page(p);
        serial_puts("guest: fill done\n");
        halt_forever();
    }
    case MODE_DIRTY:
        run_dirty(&cfg, start, end);
        halt_forever();
    default:
        serial_puts("guest: no mode= given, halting\n");
        halt_forever();
    }
}
