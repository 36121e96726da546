// Page text through poppler, for the pages whose fonts the fast reader of pdf_text.h leaves
// aside. poppler lives in the module kakehashi-poppler.so (poppler/module.cpp), loaded with
// dlopen the first time a document needs it: the process start of `kakehashi inspect` does not
// pay for poppler's 16 libraries (issue 23 item 8, docs/architecture.md "Binaries").
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace kakehashi::inspect {

// The module cannot be loaded (an incomplete installation): no PDF that needs poppler can be
// inspected, so the inspection stops instead of passing the file.
class ModuleMissing : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// kakehashi-poppler.so is looked for beside the running program (/proc/self/exe), then in the
// build folder it was built in (test programs run from folders of their own).
class PopplerDocument {
 public:
  // `bytes` must outlive the document. Throws ModuleMissing.
  explicit PopplerDocument(const std::string& bytes);
  ~PopplerDocument();
  PopplerDocument(const PopplerDocument&) = delete;
  PopplerDocument& operator=(const PopplerDocument&) = delete;

  // False when poppler cannot read the file or it is locked by a password.
  bool readable() const { return document_ != nullptr; }
  int pages() const;
  // The page's text in raw content order, nullopt when the page cannot be read.
  std::optional<std::string> page_text(int index) const;

 private:
  void* document_ = nullptr;
};

}  // namespace kakehashi::inspect
