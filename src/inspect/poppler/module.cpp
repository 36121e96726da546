// kakehashi-poppler.so: the page text of a PDF through poppler, built as a module of its own and
// loaded with dlopen by inspect/poppler_text.cpp only when a page's fonts need poppler (issue 23
// item 8). poppler and the 16 libraries it pulls in (NSS, lcms, TIFF, OpenJPEG…) then cost the
// dynamic linker nothing in a `kakehashi inspect` that never meets such a page.
// A plain C interface: no C++ object crosses the boundary.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>
#include <string>

#include "inspect/poppler/module.h"

namespace {

void silence_poppler(const std::string&, void*) {}

}  // namespace

extern "C" {

int kk_poppler_abi_version() { return KK_POPPLER_ABI_VERSION; }

void* kk_poppler_open(const char* data, size_t size) {
  static std::once_flag silenced;  // a global of poppler's: set once, files run on threads
  std::call_once(silenced, [] { poppler::set_debug_error_function(silence_poppler, nullptr); });
  if (size > static_cast<size_t>(std::numeric_limits<int>::max())) return nullptr;
  try {
    std::unique_ptr<poppler::document> document(
        poppler::document::load_from_raw_data(data, static_cast<int>(size)));
    if (!document || document->is_locked()) return nullptr;
    return document.release();
  } catch (...) {
    return nullptr;
  }
}

int kk_poppler_pages(void* document) {
  return static_cast<poppler::document*>(document)->pages();
}

int kk_poppler_page_text(void* document, int index, kk_poppler_sink sink, void* context) {
  try {
    auto* doc = static_cast<poppler::document*>(document);
    if (index < 0 || index >= doc->pages()) return 0;
    std::unique_ptr<poppler::page> page(doc->create_page(index));
    if (!page) return 0;
    // Raw content order: the detectors need the characters, not the reading order (cheaper).
    poppler::byte_array utf8 =
        page->text(poppler::rectf(), poppler::page::raw_order_layout).to_utf8();
    sink(context, utf8.data(), utf8.size());
    return 1;
  } catch (const std::bad_alloc&) {
    return -1;
  } catch (...) {
    return 0;
  }
}

void kk_poppler_close(void* document) { delete static_cast<poppler::document*>(document); }

}  // extern "C"
