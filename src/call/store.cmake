# The call's storage and rules; the solvers come from kk_call_engine.
find_package(fmt REQUIRED)
kakehashi_module(call
  SOURCES calls.cpp applications.cpp review.cpp decision.cpp access.cpp
  DEPS kk_base kk_geo kk_db kk_audit kk_auth kk_call_engine fmt::fmt
  PRIVATE_HEADERS store_internal.h)
