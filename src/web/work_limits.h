// Admission of heavy work: file inspection, password hashing (Argon2id) and whatever else can
// hold a handler thread for long. Handlers run on a fixed pool (web/server.h); without a bound,
// a few users uploading large files would occupy every thread and stop every page. Each kind of
// work has a limit overall and a limit per client (the signed-in user, else the client
// address), and optionally a short queue; a request beyond them is answered at once with 503,
// a Retry-After header and 「ただいま処理が混み合っています。n 秒ほど待ってから、もう一度お試しください。」.
//
// How a screen uses it (the inspection tool and the login POST do this today):
//
//   Response upload(Application& app, Request& request) {
//     UploadedFiles uploads(request);          // quarantined files go whatever happens
//     … cheap checks first (field present, extension) …
//     auto slot = app.admit(request, WorkKind::kInspection);
//     if (!slot) return app.busy(request, WorkKind::kInspection);
//     auto report = inspect::inspect_file_isolated(path, {});   // held while it runs
//     … write, audit, render …
//   }                                           // the slot is released with `slot`
//
// Take the slot right before the heavy call and keep it in a local variable: it is released
// when it goes out of scope (also on an early return or an exception). Never take two slots in
// one request (a request waiting for a second slot while holding the first can starve others).
// The kinds and the screens that must use them:
//   kInspection  every upload that is inspected: tools/inspect (done), the call guideline
//                upload (handlers/call/admin.cpp), application attachments, later modules' uploads;
//   kPassword    every Argon2id hash or verification: login (done), sign-up, user creation and
//                password change (auth::create_user, set_password) — before any transaction,
//                so the hash never runs inside the database write lock.
// A new kind of heavy work adds an enumerator here, its default in WorkLimitsConfig and a line
// in docs/architecture.md.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace kakehashi::web {

enum class WorkKind { kInspection, kPassword };

std::string_view work_kind_name(WorkKind kind);  // "inspection", "password" (for the log)

struct WorkLimit {
  int overall = 2;                         // slots in use at once, for everyone
  int per_client = 1;                      // slots in use or awaited at once by one client
  int queue = 0;                           // requests that may wait for a slot when all are in use
  std::chrono::milliseconds max_wait{0};   // how long such a request waits before it is refused
  std::chrono::seconds retry_after{30};    // what the refused client is told (Retry-After)
};

struct WorkLimitsConfig {
  WorkLimit inspection;
  WorkLimit password;

  // Defaults for a machine with `cores` cores and a handler pool of max(8, 4 × cores):
  // inspections max(1, cores) at once, one per user, no queue (a refused upload is retried by
  // hand); password hashing max(1, cores) at once, four per address (people behind one office
  // router log in together), as many again waiting up to 5 s. Heavy work then holds at most
  // 3 × cores handler threads, leaving the rest to ordinary pages.
  static WorkLimitsConfig for_cores(unsigned cores);
};

class WorkLimits {
 public:
  // A slot in use; released when destroyed. Move-only.
  class Slot {
   public:
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();

   private:
    friend class WorkLimits;
    Slot(WorkLimits* owner, WorkKind kind, std::string client)
        : owner_(owner), kind_(kind), client_(std::move(client)) {}
    void release();
    WorkLimits* owner_ = nullptr;
    WorkKind kind_ = WorkKind::kInspection;
    std::string client_;
  };

  // Why a request was refused.
  enum class Refusal { kClient, kOverall };
  struct Admission {
    std::optional<Slot> slot;  // empty when refused
    Refusal refusal = Refusal::kOverall;
  };

  explicit WorkLimits(WorkLimitsConfig config = {});
  WorkLimits(const WorkLimits&) = delete;
  WorkLimits& operator=(const WorkLimits&) = delete;

  // A slot of `kind` for `client` ("user:12", "address:192.0.2.1"): at once when one is free,
  // after a wait of at most max_wait when the queue has room, otherwise refused. Thread-safe.
  Admission admit(WorkKind kind, const std::string& client);

  const WorkLimit& limit(WorkKind kind) const;
  struct Usage {
    int running = 0;
    int waiting = 0;
  };
  Usage usage(WorkKind kind) const;

 private:
  struct State {
    int running = 0;
    int waiting = 0;
    std::map<std::string, int, std::less<>> per_client;  // running and waiting
  };
  State& state(WorkKind kind) { return kind == WorkKind::kInspection ? inspection_ : password_; }
  const State& state(WorkKind kind) const { return kind == WorkKind::kInspection ? inspection_ : password_; }
  void release(WorkKind kind, const std::string& client);

  WorkLimitsConfig config_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  State inspection_;
  State password_;
};

}  // namespace kakehashi::web
