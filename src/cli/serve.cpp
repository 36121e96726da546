#include <sys/resource.h>

#include <iostream>
#include <thread>

#include "auth/sessions.h"
#include "base/date.h"
#include "cli/common.h"
#include "db/migrate.h"
#include "web/app.h"
#include "web/server.h"

namespace kakehashi::cli {
namespace {

// Each connection is a descriptor (two while a file is sent): raise the soft limit to the hard
// one, and say so when even that is too low for the connection cap.
void raise_descriptor_limit(std::size_t max_connections) {
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return;
  if (files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur < 2 * max_connections + 64) {
    std::cerr << "kakehashi: 警告: ファイル記述子の上限（" << files.rlim_cur << "）が同時接続数の上限（"
              << max_connections << "）に対して小さすぎます（ulimit -n を上げてください）" << std::endl;
  }
}

}  // namespace

void register_serve(CLI::App& app) {
  auto* serve = app.add_subcommand("serve", "Web アプリケーションを起動する");
  struct Options {
    std::string listen = "127.0.0.1:8080";
    std::string tls_cert, tls_key;
    bool behind_proxy = false;
    int threads = 0;
    int handler_threads = 0;
    int header_timeout = 10;
    int body_timeout = 30;
    int body_deadline = 300;
    std::size_t max_connections = 2048;
    std::size_t max_connections_per_address = 64;
    int inspections = 0;
    int inspections_per_user = 0;
    std::string quarantine;
    bool quiet = false;
  };
  auto options = std::make_shared<Options>();
  serve->add_option("--listen", options->listen, "待ち受けアドレス:ポート（ポート 0 で空きポート）")->capture_default_str();
  serve->add_option("--tls-cert", options->tls_cert, "TLS 証明書チェーン（PEM）");
  serve->add_option("--tls-key", options->tls_key, "TLS 秘密鍵（PEM）");
  serve->add_flag("--behind-proxy", options->behind_proxy,
                  "TLS を終端するリバースプロキシの背後で動かす（X-Forwarded-Proto を信頼する）");
  serve->add_option("--threads", options->threads, "通信（I/O）スレッド数（0 でコア数の 2 倍、最低 4）");
  serve->add_option("--handler-threads", options->handler_threads,
                    "リクエストを処理するスレッド数（0 でコア数の 4 倍、最低 8）。データベース接続数はこれに 4 を足した数");
  serve->add_option("--header-timeout", options->header_timeout, "ヘッダー受信と待機接続のタイムアウト（秒）")->capture_default_str();
  serve->add_option("--body-timeout", options->body_timeout, "本文の各チャンク（64 KiB）受信のタイムアウト（秒）")->capture_default_str();
  serve->add_option("--body-deadline", options->body_deadline, "本文全体を受信し終えるまでの上限（秒）")->capture_default_str();
  serve->add_option("--max-connections", options->max_connections, "同時接続数の上限")->capture_default_str();
  serve->add_option("--max-connections-per-address", options->max_connections_per_address,
                    "1 つの接続元アドレスからの同時接続数の上限（--behind-proxy では適用しない）")
      ->capture_default_str();
  serve->add_option("--inspections", options->inspections, "同時に実行するファイル検査の上限（0 でコア数）");
  serve->add_option("--inspections-per-user", options->inspections_per_user, "1 人が同時に実行できるファイル検査の上限（0 で 1）");
  serve->add_option("--quarantine", options->quarantine, "アップロードの隔離フォルダ（既定: データベースと同じ場所の quarantine/）");
  serve->add_flag("--quiet", options->quiet, "リクエストごとのログを出さない（ベンチマーク用）");
  serve->callback([options] {
    auto listen = value_or_exit(web::parse_listen(options->listen));
    bool tls = !options->tls_cert.empty() || !options->tls_key.empty();
    if (!web::is_loopback(listen.first) && !tls && !options->behind_proxy) {
      throw CommandError(kExitUsage,
                         "TLS なしではループバック以外のアドレスで待ち受けできません（--tls-cert と --tls-key を指定するか、"
                         "TLS を終端するリバースプロキシの背後なら --behind-proxy を指定してください）");
    }
    web::ServerConfig server_config;
    server_config.handler_threads = options->handler_threads > 0 ? options->handler_threads : web::default_handler_threads();
    // One connection per handler thread, and a few for periodic tasks and the start-up work.
    auto database = value_or_exit(db::open(global_options().db_path, global_options().db_url,
                                           server_config.handler_threads + 4));
    value_or_exit(db::migrate(*database));
    SystemClock clock;
    web::AppConfig config;
    config.tls = tls;
    config.behind_proxy = options->behind_proxy;
    auto db_dir = std::filesystem::path(global_options().db_path).parent_path();
    config.quarantine_dir = options->quarantine.empty() ? (db_dir.empty() ? "." : db_dir) / "quarantine"
                                                        : std::filesystem::path(options->quarantine);
    config.work_limits = web::WorkLimitsConfig::for_cores(std::thread::hardware_concurrency());
    if (options->inspections > 0) config.work_limits.inspection.overall = options->inspections;
    if (options->inspections_per_user > 0) config.work_limits.inspection.per_client = options->inspections_per_user;
    config.log_work = !options->quiet;
    // Leftovers of a previous run: expired sessions, and uploads a crash left in quarantine.
    value_or_exit(auth::purge_expired_sessions(*database, clock.now(), config.sessions));
    std::error_code ignored;
    if (std::filesystem::is_directory(config.quarantine_dir, ignored)) {
      for (const auto& entry : std::filesystem::directory_iterator(config.quarantine_dir, ignored)) {
        if (entry.path().filename().string().starts_with("upload-")) std::filesystem::remove(entry.path(), ignored);
      }
    }
    web::Application application(*database, clock, config);
    web::register_routes(application);
    // Expired sessions go every 10 minutes while the server runs, not only at start and login.
    application.add_periodic("sessions.purge", std::chrono::minutes(10), [&application]() -> Result<void> {
      auto purged = auth::purge_expired_sessions(application.database(), application.clock().now(),
                                                 application.config().sessions);
      if (!purged) return fail(purged.error());
      return {};
    });

    server_config.address = listen.first;
    server_config.port = listen.second;
    server_config.tls_cert = options->tls_cert;
    server_config.tls_key = options->tls_key;
    server_config.threads = options->threads;
    server_config.header_timeout = std::chrono::seconds{std::max(1, options->header_timeout)};
    server_config.body_timeout = std::chrono::seconds{std::max(1, options->body_timeout)};
    server_config.body_deadline = std::chrono::seconds{std::max(1, options->body_deadline)};
    server_config.max_connections = std::max<std::size_t>(1, options->max_connections);
    server_config.max_connections_per_address = std::max<std::size_t>(1, options->max_connections_per_address);
    raise_descriptor_limit(server_config.max_connections);
    server_config.log_requests = !options->quiet;
    web::Server server(application, server_config);
    value_or_exit(server.listen());
    std::string host = listen.first.find(':') != std::string::npos ? "[" + listen.first + "]" : listen.first;
    std::cout << "kakehashi: " << (tls ? "https" : "http") << "://" << host << ":" << server.port()
              << "/ で待ち受けています（Ctrl+C で終了）" << std::endl;
    server.run();
    std::cout << "kakehashi: 終了しました" << std::endl;
  });
}

}  // namespace kakehashi::cli
