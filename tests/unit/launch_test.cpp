// What a launch decides before calling libvirt: bandwidth units and disks.
#include <gtest/gtest.h>

#include "hypervisor/domain_xml.h"
#include "hypervisor/launcher.h"

namespace migmon::hv {
namespace {

TEST(Bandwidth, KubeVirtQuantityToMiBPerSecond) {
  EXPECT_EQ(0u, BandwidthMiBPerSecond(0));            // unlimited
  EXPECT_EQ(64u, BandwidthMiBPerSecond(64ull << 20));  // 64Mi
  EXPECT_EQ(1u, BandwidthMiBPerSecond(1));             // never rounds a cap away
  EXPECT_EQ(1u, BandwidthMiBPerSecond(1000));
  EXPECT_EQ(2u, BandwidthMiBPerSecond((3ull << 20) / 2));      // 1.5 MiB: half up
  EXPECT_EQ(1u, BandwidthMiBPerSecond((3ull << 20) / 2 - 1));
  EXPECT_EQ(61u, BandwidthMiBPerSecond(64000000));     // 64M (decimal) = 61.04 MiB
}

constexpr const char* kDomainXml = R"(<domain type='qemu'>
  <name>vm</name>
  <devices>
    <disk type='file' device='disk'>
      <source file='/var/lib/libvirt/images/root.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <source file='/srv/shared/data.qcow2'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <source file='/srv/shared2/own.qcow2'/>
      <target dev='vdc' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <source file='/var/lib/libvirt/images/base.qcow2'/>
      <target dev='vdd' bus='virtio'/>
      <readonly/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/isos/install.iso'/>
      <target dev='hda' bus='ide'/>
    </disk>
    <disk type='volume' device='disk'>
      <source pool='default' volume='extra.qcow2'/>
      <target dev='vde' bus='virtio'/>
    </disk>
  </devices>
</domain>)";

TEST(DomainXml, ParsesDisks) {
  const auto disks = ParseDisks(kDomainXml);
  ASSERT_EQ(6u, disks.size());
  EXPECT_EQ("vda", disks[0].target);
  EXPECT_EQ("/var/lib/libvirt/images/root.qcow2", disks[0].source);
  EXPECT_TRUE(disks[0].writable);
  EXPECT_FALSE(disks[3].writable);  // readonly
  EXPECT_FALSE(disks[4].writable);  // cdrom
  EXPECT_EQ("default/extra.qcow2", disks[5].source);
}

TEST(DomainXml, CopiesWritableDisksOutsideSharedStorage) {
  const auto disks = ParseDisks(kDomainXml);
  EXPECT_EQ((std::vector<std::string>{"vda", "vdc", "vde"}), DisksToCopy(disks, {"/srv/shared"}));
  EXPECT_EQ((std::vector<std::string>{"vda", "vdb", "vdc", "vde"}), DisksToCopy(disks, {}));
  EXPECT_EQ((std::vector<std::string>{"vde"}), DisksToCopy(disks, {"/srv/", "/var/lib/libvirt/images"}));
}

TEST(DomainXml, NoDisksNoBlockMigration) {
  EXPECT_TRUE(DisksToCopy(ParseDisks("<domain><devices/></domain>"), {}).empty());
  EXPECT_THROW(ParseDisks("<domain>"), std::invalid_argument);
}

}  // namespace
}  // namespace migmon::hv
