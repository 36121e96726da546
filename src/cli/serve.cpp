#include <iostream>

#include "auth/sessions.h"
#include "base/date.h"
#include "cli/common.h"
#include "web/app.h"
#include "web/server.h"

namespace kakehashi::cli {

void register_serve(CLI::App& app) {
  auto* serve = app.add_subcommand("serve", "Web アプリケーションを起動する");
  struct Options {
    std::string listen = "127.0.0.1:8080";
    std::string tls_cert, tls_key;
    bool behind_proxy = false;
    std::vector<std::string> trusted_proxies;
    int threads = 0;
    int header_timeout = 10;
    int body_timeout = 30;
    std::string quarantine;
    bool quiet = false;
  };
  auto options = std::make_shared<Options>();
  serve->add_option("--listen", options->listen, "待ち受けアドレス:ポート（ポート 0 で空きポート）")->capture_default_str();
  serve->add_option("--tls-cert", options->tls_cert, "TLS 証明書チェーン（PEM）");
  serve->add_option("--tls-key", options->tls_key, "TLS 秘密鍵（PEM）");
  serve->add_flag("--behind-proxy", options->behind_proxy,
                  "TLS を終端するリバースプロキシの背後で動かす（X-Forwarded-Proto を信頼する）");
  serve->add_option("--trusted-proxy", options->trusted_proxies,
                    "X-Forwarded-For と X-Forwarded-Proto を信頼するプロキシのアドレスまたはネットワーク"
                    "（例: 10.0.0.5, 10.0.0.0/8。複数回指定可）");
  serve->add_option("--threads", options->threads, "ワーカースレッド数（0 でコア数の 2 倍）");
  serve->add_option("--header-timeout", options->header_timeout, "ヘッダー受信と待機接続のタイムアウト（秒）")->capture_default_str();
  serve->add_option("--body-timeout", options->body_timeout, "本文の各チャンク受信のタイムアウト（秒）")->capture_default_str();
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
    for (const auto& proxy : options->trusted_proxies) {
      if (!web::address_matches(proxy.substr(0, proxy.find('/')), proxy)) {
        throw CommandError(kExitUsage, "--trusted-proxy にはアドレスかネットワーク（例: 10.0.0.0/8）を指定してください: " + proxy);
      }
    }
    if (options->behind_proxy && options->trusted_proxies.empty()) {
      std::cerr << "kakehashi: 注意: --trusted-proxy の指定がないため、X-Forwarded-For は使わず接続元（プロキシ）の"
                   "アドレスでログイン失敗を数えます\n";
    }
    auto database = open_database();
    SystemClock clock;
    web::AppConfig config;
    config.tls = tls;
    config.behind_proxy = options->behind_proxy;
    config.trusted_proxies = options->trusted_proxies;
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
    std::string host = listen.first.find(':') != std::string::npos ? "[" + listen.first + "]" : listen.first;
    std::cout << "kakehashi: " << (tls ? "https" : "http") << "://" << host << ":" << server.port()
              << "/ で待ち受けています（Ctrl+C で終了）" << std::endl;
    server.run();
    std::cout << "kakehashi: 終了しました" << std::endl;
  });
}

}  // namespace kakehashi::cli
