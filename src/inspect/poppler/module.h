// The C interface of kakehashi-poppler.so (poppler/module.cpp), shared with its loader
// (inspect/poppler_text.cpp). Change KK_POPPLER_ABI_VERSION with any change below.
#pragma once

#include <stddef.h>

#define KK_POPPLER_ABI_VERSION 1
#define KK_POPPLER_EXPORT __attribute__((visibility("default")))

extern "C" {

// Receives a page's text in UTF-8 (valid during the call only).
typedef void (*kk_poppler_sink)(void* context, const char* text, size_t size);

KK_POPPLER_EXPORT int kk_poppler_abi_version();
// A document poppler can read, or null (not a PDF poppler accepts, or locked by a password).
KK_POPPLER_EXPORT void* kk_poppler_open(const char* data, size_t size);
KK_POPPLER_EXPORT int kk_poppler_pages(void* document);
// 1: the page's text was given to sink; 0: the page cannot be read; -1: out of memory.
KK_POPPLER_EXPORT int kk_poppler_page_text(void* document, int index, kk_poppler_sink sink, void* context);
KK_POPPLER_EXPORT void kk_poppler_close(void* document);
}
