#include "inspect/poppler_text.h"

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "inspect/poppler/module.h"

#ifndef KAKEHASHI_BUILD_DIR
#error "KAKEHASHI_BUILD_DIR: the build folder, where kakehashi-poppler.so is built"
#endif

namespace kakehashi::inspect {

namespace {

constexpr const char* kModuleName = "kakehashi-poppler.so";

struct Module {
  int (*abi_version)() = nullptr;
  void* (*open)(const char*, size_t) = nullptr;
  int (*pages)(void*) = nullptr;
  int (*page_text)(void*, int, kk_poppler_sink, void*) = nullptr;
  void (*close)(void*) = nullptr;
  std::string error;  // why it could not be loaded; empty when loaded
};

std::vector<std::string> candidates() {
  std::vector<std::string> paths;
  std::error_code error;
  auto self = std::filesystem::canonical("/proc/self/exe", error);
  if (!error) paths.push_back((self.parent_path() / kModuleName).string());
  std::string built = std::string(KAKEHASHI_BUILD_DIR) + "/" + kModuleName;
  if (paths.empty() || paths.front() != built) paths.push_back(built);
  return paths;
}

template <typename F>
bool bind(void* handle, const char* name, F& function) {
  function = reinterpret_cast<F>(dlsym(handle, name));
  return function != nullptr;
}

// Loaded once for the process (never unloaded: poppler keeps global state).
const Module& module() {
  static Module loaded;
  static std::once_flag once;
  std::call_once(once, [] {
    std::string tried;
    for (const auto& path : candidates()) {
      if (!std::filesystem::exists(path)) {
        tried += " " + path;
        continue;
      }
      void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle == nullptr) {
        const char* why = dlerror();
        loaded.error = path + ": " + (why != nullptr ? why : "dlopen");
        return;
      }
      if (!bind(handle, "kk_poppler_abi_version", loaded.abi_version) ||
          loaded.abi_version() != KK_POPPLER_ABI_VERSION || !bind(handle, "kk_poppler_open", loaded.open) ||
          !bind(handle, "kk_poppler_pages", loaded.pages) ||
          !bind(handle, "kk_poppler_page_text", loaded.page_text) ||
          !bind(handle, "kk_poppler_close", loaded.close)) {
        loaded.error = path + ": 版が合いません";
        loaded.open = nullptr;
        return;
      }
      return;
    }
    loaded.error = "見つかりません:" + tried;
  });
  if (loaded.open == nullptr) {
    throw ModuleMissing("PDF の文字を読むモジュール " + std::string(kModuleName) +
                        " を読み込めません（" + loaded.error + "）");
  }
  return loaded;
}

void append(void* context, const char* text, size_t size) {
  static_cast<std::string*>(context)->assign(text, size);
}

}  // namespace

PopplerDocument::PopplerDocument(const std::string& bytes)
    : document_(module().open(bytes.data(), bytes.size())) {}

PopplerDocument::~PopplerDocument() {
  if (document_ != nullptr) module().close(document_);
}

int PopplerDocument::pages() const {
  return document_ == nullptr ? 0 : module().pages(document_);
}

std::optional<std::string> PopplerDocument::page_text(int index) const {
  if (document_ == nullptr) return std::nullopt;
  std::string text;
  int status = module().page_text(document_, index, append, &text);
  if (status < 0) throw std::bad_alloc();
  if (status == 0) return std::nullopt;
  return text;
}

}  // namespace kakehashi::inspect
