// The qpdf post-pass (see finish_pdf in pdf.h).
// qpdf 11: use std::shared_ptr APIs only (no PointerHolder compatibility layer).
#define POINTERHOLDER_TRANSITION 4
#include <fmt/format.h>

#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "docs/pdf.h"

namespace kakehashi::docs {

Result<std::string> finish_pdf(const std::string& pdf, const Metadata& meta) {
  try {
    QPDF q;
    q.setSuppressWarnings(true);
    q.processMemoryFile("document.pdf", pdf.data(), pdf.size());
    QPDFObjectHandle root = q.getRoot();
    // XMP and the structure tree cairo 1.16 starts for link annotations (it writes the
    // /StructParent keys but not a complete parent tree) carry nothing the reader sees.
    root.removeKey("/Metadata");
    root.removeKey("/StructTreeRoot");
    root.removeKey("/MarkInfo");
    for (auto& page : QPDFPageDocumentHelper(q).getAllPages()) {
      QPDFObjectHandle p = page.getObjectHandle();
      p.removeKey("/StructParents");
      QPDFObjectHandle annots = p.getKey("/Annots");
      if (!annots.isArray()) continue;
      for (int i = 0; i < annots.getArrayNItems(); ++i) {
        QPDFObjectHandle a = annots.getArrayItem(i);
        if (a.isDictionary()) a.removeKey("/StructParent");
      }
    }
    // Document information from the allow-list only: no Producer, Creator or dates.
    QPDFObjectHandle info = QPDFObjectHandle::newDictionary();
    if (!meta.title.empty())
      info.replaceKey("/Title", QPDFObjectHandle::newUnicodeString(meta.title));
    if (!meta.issuer.empty())
      info.replaceKey("/Subject", QPDFObjectHandle::newUnicodeString(meta.issuer));
    q.getTrailer().replaceKey("/Info", q.makeIndirectObject(info));

    QPDFWriter w(q);
    w.setOutputMemory();
    w.setDeterministicID(true);
    w.setObjectStreamMode(qpdf_o_generate);
    w.setCompressStreams(true);
    w.setStreamDataMode(qpdf_s_compress);
    w.setMinimumPDFVersion("1.5");
    w.write();
    std::unique_ptr<Buffer> buffer(w.getBuffer());
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  } catch (const std::exception& e) {
    return fail(Error::internal(fmt::format("PDF の後処理に失敗しました: {}", e.what())));
  }
}

}  // namespace kakehashi::docs
