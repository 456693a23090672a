#include "hypervisor/domain_xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <stdexcept>

namespace migmon::hv {
namespace {

struct DocFreer {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct XmlFreer {
  void operator()(xmlChar* p) const { xmlFree(p); }
};

std::string Attr(xmlNode* node, const char* name) {
  const std::unique_ptr<xmlChar, XmlFreer> v(xmlGetProp(node, reinterpret_cast<const xmlChar*>(name)));
  if (!v) return {};
  return std::string(reinterpret_cast<const char*>(v.get()));
}

bool Named(xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE && xmlStrEqual(node->name, reinterpret_cast<const xmlChar*>(name));
}

DiskInfo ReadDisk(xmlNode* disk) {
  DiskInfo info;
  const std::string device = Attr(disk, "device");
  info.writable = device.empty() || device == "disk";
  for (xmlNode* c = disk->children; c; c = c->next) {
    if (Named(c, "target")) info.target = Attr(c, "dev");
    if (Named(c, "readonly") || Named(c, "shareable")) info.writable = false;
    if (Named(c, "source")) {
      info.source = Attr(c, "file");
      if (info.source.empty()) info.source = Attr(c, "dev");
      if (info.source.empty() && !Attr(c, "volume").empty()) info.source = Attr(c, "pool") + "/" + Attr(c, "volume");
    }
  }
  return info;
}

}  // namespace

std::vector<DiskInfo> ParseDisks(std::string_view domain_xml) {
  std::unique_ptr<xmlDoc, DocFreer> doc(xmlReadMemory(domain_xml.data(), static_cast<int>(domain_xml.size()),
                                                      "domain.xml", nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                                                 XML_PARSE_NOWARNING));
  if (!doc) throw std::invalid_argument("domain XML does not parse");
  std::vector<DiskInfo> disks;
  xmlNode* root = xmlDocGetRootElement(doc.get());
  for (xmlNode* section = root ? root->children : nullptr; section; section = section->next) {
    if (!Named(section, "devices")) continue;
    for (xmlNode* d = section->children; d; d = d->next) {
      if (Named(d, "disk")) disks.push_back(ReadDisk(d));
    }
  }
  return disks;
}

std::vector<std::string> DisksToCopy(const std::vector<DiskInfo>& disks,
                                     const std::vector<std::string>& shared_storage_paths) {
  std::vector<std::string> out;
  for (const auto& d : disks) {
    if (!d.writable || d.source.empty() || d.target.empty()) continue;
    bool shared = false;
    for (const auto& prefix : shared_storage_paths) {
      // A prefix matches whole path components: /srv/shared does not cover /srv/shared2.
      const std::string dir = prefix.back() == '/' ? prefix : prefix + "/";
      shared = shared || d.source == prefix || d.source.rfind(dir, 0) == 0;
    }
    if (!shared) out.push_back(d.target);
  }
  return out;
}

}  // namespace migmon::hv
