# The call's model, store and service; the solvers come from kk_call_engine. The store (SQL
# only) and the helpers of store and service are private: nothing outside src/call includes
# them (tests do with INTERNALS kk_call).
find_package(fmt REQUIRED)
kakehashi_module(call
  SOURCES model.cpp
          store_calls.cpp store_applications.cpp store_review.cpp
          service_calls.cpp service_applications.cpp service_uploads.cpp service_review.cpp service_decision.cpp
          access.cpp
  DEPS kk_base kk_geo kk_db kk_audit kk_auth kk_notify kk_inspect kk_call_engine Boost::json fmt::fmt
  PRIVATE_HEADERS store.h store_internal.h service_internal.h)
