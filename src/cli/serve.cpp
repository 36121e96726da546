#include <sys/resource.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <thread>

#include "auth/self_service.h"

#include "audit/anchor.h"
#include "cli/roster_key.h"
#include "compliance/crypto.h"
#include "auth/session_cache.h"
#include "auth/sessions.h"
#include "base/date.h"
#include "cli/common.h"
#include "mail/file_sender.h"
#include "mail/smtp.h"
#include "notify/service.h"
#include "db/migrate.h"
#include "web/app.h"
#include "web/log.h"
#include "web/server.h"

namespace kakehashi::cli {
namespace {

// The mail options of `serve`.
struct MailOptions {
  std::string smtp;  // HOST:PORT; empty: the file backend
  std::string from = "noreply@localhost";
  bool from_given = false;
  std::string from_name = "架け橋 Kakehashi";
  bool starttls = false;
  std::string ca_file;
  std::string user;
  std::string password_file;
  std::string dir;  // the file backend's folder
  int interval = 5;
  std::string public_url;
};

// The first line of a file only its owner may read (the SMTP password).
std::string read_secret(const std::string& path) {
  struct stat info{};
  if (::stat(path.c_str(), &info) != 0) throw CommandError(kExitUsage, "パスワードファイルを開けません: " + path);
  if (info.st_mode & 077) {
    throw CommandError(kExitUsage, "パスワードファイルは所有者だけが読めるようにしてください（chmod 600 " + path + "）");
  }
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw CommandError(kExitUsage, "パスワードファイルが空です: " + path);
  return line;
}

std::unique_ptr<mail::Sender> make_sender(const MailOptions& options, const std::filesystem::path& db_dir) {
  mail::Identity from{options.from, options.from_name};
  if (auto valid = mail::validate(from); !valid) throw CommandError(kExitUsage, "--mail-from / --mail-from-name: " + valid.error().message);
  if (options.smtp.empty()) {
    if (options.starttls || !options.user.empty() || !options.password_file.empty() || !options.ca_file.empty()) {
      throw CommandError(kExitUsage, "--mail-starttls、--mail-user、--mail-password-file、--mail-ca-file は --mail-smtp と一緒に指定してください");
    }
    std::filesystem::path folder = options.dir.empty() ? (db_dir.empty() ? "." : db_dir) / "mail" : std::filesystem::path(options.dir);
    return std::make_unique<mail::FileSender>(folder, from);
  }
  if (!options.dir.empty()) throw CommandError(kExitUsage, "--mail-smtp と --mail-dir はどちらか一方を指定してください");
  if (!options.from_given) throw CommandError(kExitUsage, "--mail-smtp で送るときは --mail-from で送信元アドレスを指定してください");
  if (options.user.empty() != options.password_file.empty()) {
    throw CommandError(kExitUsage, "--mail-user と --mail-password-file は両方を指定してください");
  }
  auto [host, port] = value_or_exit(mail::parse_host_port(options.smtp));
  mail::SmtpConfig config;
  config.host = host;
  config.port = port;
  config.from = from;
  config.starttls = options.starttls;
  config.ca_file = options.ca_file;
  if (!options.user.empty()) {
    config.user = options.user;
    config.password = read_secret(options.password_file);
  }
  return std::make_unique<mail::SmtpSender>(std::move(config));
}

// "http://host:port" or "https://…" with an optional path, no query: the base of mail links.
bool is_site_url(const std::string& url) {
  bool scheme = url.starts_with("http://") || url.starts_with("https://");
  return scheme && url.find_first_of("?#\"\\<> \t\r\n") == std::string::npos && url.size() > 8 && url.size() < 200;
}

void log_mail(std::string_view level, const Clock& clock, boost::json::object line) {
  line.emplace("time", iso_utc(clock.now()));
  line.emplace("level", level);
  line.emplace("event", "mail");
  web::write_log_line(line);
}

// One run of the periodic "mail.deliver" task: the outbox in rounds of 20 while rounds come back
// full (at most 10 rounds a run, so a backlog drains over runs), then the expired sign-up and
// reset links. Every SMTP step has a timeout, so a run is bounded.
Result<void> deliver_mail(db::Database& database, mail::Sender& sender, const Clock& clock,
                          const notify::DeliveryPolicy& policy) {
  constexpr int kBatch = 20;
  for (int round = 0; round < 10; ++round) {
    auto report = notify::deliver_pending(database, sender, clock.now(), kBatch, policy);
    if (!report) return fail(report.error());
    int handled = report->sent + report->retrying + report->gave_up;
    if (handled > 0) {
      log_mail(report->gave_up ? "error" : report->retrying ? "warning" : "info", clock,
               {{"sent", report->sent}, {"retrying", report->retrying}, {"gave_up", report->gave_up}});
    }
    if (handled < kBatch) break;
  }
  if (auto purged = auth::purge_self_service(database, clock.now()); !purged) return fail(purged.error());
  return {};
}

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
    std::vector<std::string> trusted_proxies;
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
    std::string audit_key, audit_anchors;
    int checkpoint_seconds = 15 * 60;
    bool quiet = false;
    int public_form_limit = 60;
  };
  auto options = std::make_shared<Options>();
  auto mail_options = std::make_shared<MailOptions>();
  serve->add_option("--listen", options->listen, "待ち受けアドレス:ポート（ポート 0 で空きポート）")->capture_default_str();
  serve->add_option("--tls-cert", options->tls_cert, "TLS 証明書チェーン（PEM）");
  serve->add_option("--tls-key", options->tls_key, "TLS 秘密鍵（PEM）");
  serve->add_flag("--behind-proxy", options->behind_proxy,
                  "TLS を終端するリバースプロキシの背後で動かす（X-Forwarded-Proto を信頼する）");
  serve->add_option("--trusted-proxy", options->trusted_proxies,
                    "X-Forwarded-For と X-Forwarded-Proto を信頼するプロキシのアドレスまたはネットワーク"
                    "（例: 10.0.0.5, 10.0.0.0/8。複数回指定可）");
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
  serve->add_option("--audit-key", options->audit_key,
                    "監査ログのチェックポイントの署名鍵（既定: データベースと同じ場所の audit-signing.key。なければ作成）");
  serve->add_option("--audit-anchors", options->audit_anchors,
                    "監査ログのチェックポイントのフォルダ（既定: データベースと同じ場所の audit-anchors/）");
  serve->add_option("--audit-checkpoint-seconds", options->checkpoint_seconds,
                    "監査ログの最新の記録が増えたときにチェックポイントを書く間隔（秒）")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 60 * 60));
  serve->add_option("--public-form-limit", options->public_form_limit,
                    "公開フォーム（イベントの参加申込み）を 1 つの接続元アドレスから 1 分間に受け付ける数（0 で制限なし。負荷試験用）")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  serve->add_flag("--quiet", options->quiet, "リクエストごとのログを出さない（ベンチマーク用）");
  serve->add_option("--public-url", mail_options->public_url,
                    "利用者が開くこのサイトの URL（メール内のリンクに使う。既定: 待ち受けアドレス）");
  serve->add_option("--mail-smtp", mail_options->smtp, "メールを送る SMTP サーバー（ホスト名:ポート）");
  serve->add_option("--mail-from", mail_options->from, "送信元メールアドレス")->capture_default_str();
  serve->add_option("--mail-from-name", mail_options->from_name, "送信者名")->capture_default_str();
  serve->add_flag("--mail-starttls", mail_options->starttls, "STARTTLS で暗号化し、サーバー証明書を検証する（対応しないサーバーには送らない）");
  serve->add_option("--mail-ca-file", mail_options->ca_file, "SMTP サーバー証明書の検証に使う認証局（PEM。既定: システムの証明書ストア）");
  serve->add_option("--mail-user", mail_options->user, "SMTP 認証のユーザー名");
  serve->add_option("--mail-password-file", mail_options->password_file, "SMTP 認証のパスワードを 1 行目に書いたファイル（所有者のみ読み取り可）");
  serve->add_option("--mail-dir", mail_options->dir,
                    "SMTP を使わずメールを .eml ファイルとして保存するフォルダ（既定: データベースと同じ場所の mail/）");
  serve->add_option("--mail-interval", mail_options->interval, "メール送信の間隔（秒）")->capture_default_str();
  serve->callback([serve, options, mail_options] {
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
    web::ServerConfig server_config;
    server_config.handler_threads = options->handler_threads > 0 ? options->handler_threads : web::default_handler_threads();
    // One connection per handler thread, and a few for periodic tasks and the start-up work.
    auto database = value_or_exit(db::open(global_options().db_path, global_options().db_url,
                                           server_config.handler_threads + 4));
    value_or_exit(db::migrate(*database));
    // The roster's field key (compliance/crypto.h): created (0600) at the first start.
    configure_roster_key();
    value_or_exit(compliance::field_key());
    SystemClock clock;
    web::AppConfig config;
    config.tls = tls;
    config.behind_proxy = options->behind_proxy;
    config.trusted_proxies = options->trusted_proxies;
    auto db_dir = std::filesystem::path(global_options().db_path).parent_path();
    config.quarantine_dir = options->quarantine.empty() ? (db_dir.empty() ? "." : db_dir) / "quarantine"
                                                        : std::filesystem::path(options->quarantine);
    config.work_limits = web::WorkLimitsConfig::for_cores(std::thread::hardware_concurrency());
    if (options->inspections > 0) config.work_limits.inspection.overall = options->inspections;
    if (options->inspections_per_user > 0) config.work_limits.inspection.per_client = options->inspections_per_user;
    config.log_work = !options->quiet;
    config.public_form_limit = options->public_form_limit;
    auth::set_signed_in_cache_ttl(auth::kServeSignedInCacheTtl);  // see auth/session_cache.h
    // Leftovers of a previous run: expired sessions, and uploads a crash left in quarantine.
    value_or_exit(auth::purge_expired_sessions(*database, clock.now(), config.sessions));
    std::error_code ignored;
    if (std::filesystem::is_directory(config.quarantine_dir, ignored)) {
      for (const auto& entry : std::filesystem::directory_iterator(config.quarantine_dir, ignored)) {
        if (entry.path().filename().string().starts_with("upload-")) std::filesystem::remove(entry.path(), ignored);
      }
    }
    if (!mail_options->public_url.empty() && !is_site_url(mail_options->public_url)) {
      throw CommandError(kExitUsage, "--public-url は http:// か https:// で始まる URL で指定してください（例: https://kakehashi.example.jp）");
    }
    if (mail_options->interval < 1) throw CommandError(kExitUsage, "--mail-interval は 1 秒以上にしてください");
    mail_options->from_given = serve->get_option("--mail-from")->count() > 0;
    auto sender = make_sender(*mail_options, db_dir);
    config.audit_anchors = audit::default_anchor_settings(global_options().db_path);
    if (!options->audit_key.empty()) config.audit_anchors.key_file = options->audit_key;
    if (!options->audit_anchors.empty()) config.audit_anchors.anchors_dir = options->audit_anchors;
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
    // The audit head is anchored at start (what the CLI wrote meanwhile), every few minutes while
    // serving, and once more after the last request.
    checkpoint_now(*database, config.audit_anchors, clock);
    std::string host = listen.first.find(':') != std::string::npos ? "[" + listen.first + "]" : listen.first;
    std::string listening = std::string(tls ? "https" : "http") + "://" + host + ":" + std::to_string(server.port());
    std::string public_url = mail_options->public_url.empty() ? listening : mail_options->public_url;
    while (public_url.ends_with('/')) public_url.pop_back();
    application.set_public_url(public_url);
    if (mail_options->smtp.empty()) {
      auto* files = static_cast<mail::FileSender*>(sender.get());
      std::cout << "kakehashi: メールは送信せず " << files->folder().string()
                << "/ に .eml ファイルとして保存します（SMTP で送るには --mail-smtp）" << std::endl;
    } else {
      std::cout << "kakehashi: メールは " << sender->describe() << "で送ります" << std::endl;
    }
    std::cout << "kakehashi: メール内のリンクは " << application.config().public_url << " で始まります" << std::endl;
    std::cout << "kakehashi: " << listening << "/ で待ち受けています（Ctrl+C で終了）" << std::endl;
    std::cout << "kakehashi: ログイン画面は " << listening << "/login です" << std::endl;
    notify::DeliveryPolicy policy;
    policy.public_url = application.config().public_url;
    application.add_periodic("mail.deliver", std::chrono::seconds{mail_options->interval}, [&]() {
      return deliver_mail(*database, *sender, clock, policy);
    });
    application.add_periodic("audit.checkpoint", std::chrono::seconds{options->checkpoint_seconds}, [&]() -> Result<void> {
      checkpoint_now(*database, config.audit_anchors, clock);
      return {};
    });
    server.run();  // the periodic tasks stop with it, after the last request
    checkpoint_now(*database, config.audit_anchors, clock);
    std::cout << "kakehashi: 終了しました" << std::endl;
  });
}

}  // namespace kakehashi::cli
