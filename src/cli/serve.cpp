#include <condition_variable>
#include <iostream>
#include <mutex>
#include <stop_token>
#include <thread>

#include "audit/anchor.h"
#include "auth/sessions.h"
#include "base/date.h"
#include "cli/common.h"
#include "web/app.h"
#include "web/log.h"
#include "web/server.h"

namespace kakehashi::cli {
namespace {

// Writes a signed checkpoint of the audit head (audit/anchor.h) when it moved, and logs what
// happened: a rollback past the newest checkpoint is logged as an error at every attempt.
void checkpoint_now(db::Database& database, const audit::AnchorSettings& settings, const Clock& clock) {
  auto written = audit::write_checkpoint_if_moved(database, settings, clock.now());
  if (written && !*written) return;
  boost::json::object line{{"time", iso_utc(clock.now())}, {"event", "audit.checkpoint"}};
  if (written) {
    line["level"] = "info";
    line["entry_id"] = (*written)->checkpoint.entry_id;
    line["file"] = (*written)->path.filename().string();
  } else {
    line["level"] = "error";
    line["error"] = written.error().message;
  }
  web::write_log_line(line);
}

// Checkpoints the audit head every `interval` on a thread of its own, until destroyed.
// (When the server gains a periodic-task hook, this becomes one of its tasks.)
class CheckpointTimer {
 public:
  CheckpointTimer(db::Database& database, audit::AnchorSettings settings, const Clock& clock,
                  std::chrono::seconds interval)
      : thread_([this, &database, settings = std::move(settings), &clock, interval](std::stop_token stop) {
          std::unique_lock lock(mutex_);
          for (;;) {
            wake_.wait_for(lock, stop, interval, [] { return false; });  // wakes early on stop
            if (stop.stop_requested()) return;
            lock.unlock();
            checkpoint_now(database, settings, clock);
            lock.lock();
          }
        }) {}

 private:
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::jthread thread_;  // last: stopped and joined first on destruction
};

}  // namespace

void register_serve(CLI::App& app) {
  auto* serve = app.add_subcommand("serve", "Web アプリケーションを起動する");
  struct Options {
    std::string listen = "127.0.0.1:8080";
    std::string tls_cert, tls_key;
    bool behind_proxy = false;
    int threads = 0;
    int header_timeout = 10;
    int body_timeout = 30;
    std::string quarantine;
    std::string audit_key, audit_anchors;
    int checkpoint_seconds = 15 * 60;
    bool quiet = false;
  };
  auto options = std::make_shared<Options>();
  serve->add_option("--listen", options->listen, "待ち受けアドレス:ポート（ポート 0 で空きポート）")->capture_default_str();
  serve->add_option("--tls-cert", options->tls_cert, "TLS 証明書チェーン（PEM）");
  serve->add_option("--tls-key", options->tls_key, "TLS 秘密鍵（PEM）");
  serve->add_flag("--behind-proxy", options->behind_proxy,
                  "TLS を終端するリバースプロキシの背後で動かす（X-Forwarded-Proto を信頼する）");
  serve->add_option("--threads", options->threads, "ワーカースレッド数（0 でコア数の 2 倍）");
  serve->add_option("--header-timeout", options->header_timeout, "ヘッダー受信と待機接続のタイムアウト（秒）")->capture_default_str();
  serve->add_option("--body-timeout", options->body_timeout, "本文の各チャンク受信のタイムアウト（秒）")->capture_default_str();
  serve->add_option("--quarantine", options->quarantine, "アップロードの隔離フォルダ（既定: データベースと同じ場所の quarantine/）");
  serve->add_option("--audit-key", options->audit_key,
                    "監査ログのチェックポイントの署名鍵（既定: データベースと同じ場所の audit-signing.key。なければ作成）");
  serve->add_option("--audit-anchors", options->audit_anchors,
                    "監査ログのチェックポイントのフォルダ（既定: データベースと同じ場所の audit-anchors/）");
  serve->add_option("--audit-checkpoint-seconds", options->checkpoint_seconds,
                    "監査ログの最新の記録が増えたときにチェックポイントを書く間隔（秒）")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 60 * 60));
  serve->add_flag("--quiet", options->quiet, "リクエストごとのログを出さない（ベンチマーク用）");
  serve->callback([options] {
    auto listen = value_or_exit(web::parse_listen(options->listen));
    bool tls = !options->tls_cert.empty() || !options->tls_key.empty();
    if (!web::is_loopback(listen.first) && !tls && !options->behind_proxy) {
      throw CommandError(kExitUsage,
                         "TLS なしではループバック以外のアドレスで待ち受けできません（--tls-cert と --tls-key を指定するか、"
                         "TLS を終端するリバースプロキシの背後なら --behind-proxy を指定してください）");
    }
    auto database = open_database();
    SystemClock clock;
    web::AppConfig config;
    config.tls = tls;
    config.behind_proxy = options->behind_proxy;
    auto db_dir = std::filesystem::path(global_options().db_path).parent_path();
    config.quarantine_dir = options->quarantine.empty() ? (db_dir.empty() ? "." : db_dir) / "quarantine"
                                                        : std::filesystem::path(options->quarantine);
    // Leftovers of a previous run: expired sessions, and uploads a crash left in quarantine.
    value_or_exit(auth::purge_expired_sessions(*database, clock.now(), config.sessions));
    std::error_code ignored;
    if (std::filesystem::is_directory(config.quarantine_dir, ignored)) {
      for (const auto& entry : std::filesystem::directory_iterator(config.quarantine_dir, ignored)) {
        if (entry.path().filename().string().starts_with("upload-")) std::filesystem::remove(entry.path(), ignored);
      }
    }
    config.audit_anchors = audit::default_anchor_settings(global_options().db_path);
    if (!options->audit_key.empty()) config.audit_anchors.key_file = options->audit_key;
    if (!options->audit_anchors.empty()) config.audit_anchors.anchors_dir = options->audit_anchors;
    web::Application application(*database, clock, config);
    web::register_routes(application);

    web::ServerConfig server_config;
    server_config.address = listen.first;
    server_config.port = listen.second;
    server_config.tls_cert = options->tls_cert;
    server_config.tls_key = options->tls_key;
    server_config.threads = options->threads;
    server_config.header_timeout = std::chrono::seconds{std::max(1, options->header_timeout)};
    server_config.body_timeout = std::chrono::seconds{std::max(1, options->body_timeout)};
    server_config.log_requests = !options->quiet;
    web::Server server(application, server_config);
    value_or_exit(server.listen());
    // The audit head is anchored at start (what the CLI wrote meanwhile), every few minutes while
    // serving, and once more after the last request.
    checkpoint_now(*database, config.audit_anchors, clock);
    std::string host = listen.first.find(':') != std::string::npos ? "[" + listen.first + "]" : listen.first;
    std::cout << "kakehashi: " << (tls ? "https" : "http") << "://" << host << ":" << server.port()
              << "/ で待ち受けています（Ctrl+C で終了）" << std::endl;
    {
      CheckpointTimer checkpoints(*database, config.audit_anchors, clock,
                                  std::chrono::seconds{options->checkpoint_seconds});
      server.run();
    }
    checkpoint_now(*database, config.audit_anchors, clock);
    std::cout << "kakehashi: 終了しました" << std::endl;
  });
}

}  // namespace kakehashi::cli
