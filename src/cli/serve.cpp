#include <sys/stat.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <stop_token>
#include <thread>

#include "auth/self_service.h"

#include "audit/anchor.h"
#include "auth/sessions.h"
#include "base/date.h"
#include "cli/common.h"
#include "mail/file_sender.h"
#include "mail/smtp.h"
#include "notify/service.h"
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

// Delivers the outbox every `interval` in a thread of its own and purges expired sign-up and
// reset links, until stopped (the destructor waits for the mail being sent, whose every SMTP step
// has a timeout). A thread of serve's own until Application gets its periodic-task hook.
class DeliveryLoop {
 public:
  DeliveryLoop(db::Database& database, mail::Sender& sender, const Clock& clock, notify::DeliveryPolicy policy,
               std::chrono::seconds interval)
      : database_(database), sender_(sender), clock_(clock), policy_(std::move(policy)), interval_(interval),
        thread_([this](std::stop_token stop) { run(stop); }) {}
  ~DeliveryLoop() {
    thread_.request_stop();
    thread_.join();
  }
  DeliveryLoop(const DeliveryLoop&) = delete;
  DeliveryLoop& operator=(const DeliveryLoop&) = delete;

 private:
  void log(std::string_view level, boost::json::object line) {
    line.emplace("time", iso_utc(clock_.now()));
    line.emplace("level", level);
    line.emplace("event", "mail");
    web::write_log_line(line);
  }
  void run(std::stop_token stop) {
    constexpr int kBatch = 20;
    while (!stop.stop_requested()) {
      auto now = clock_.now();
      // Rounds of kBatch until the outbox has nothing due (a full round means more may wait).
      for (bool more = true; more && !stop.stop_requested();) {
        auto report = notify::deliver_pending(database_, sender_, clock_.now(), kBatch, policy_);
        if (!report) {
          log("error", {{"error", report.error().message}});
          break;
        }
        int handled = report->sent + report->retrying + report->gave_up;
        if (handled > 0) {
          log(report->gave_up ? "error" : report->retrying ? "warning" : "info",
              {{"sent", report->sent}, {"retrying", report->retrying}, {"gave_up", report->gave_up}});
        }
        more = handled == kBatch;
      }
      if (auto purged = auth::purge_self_service(database_, now); !purged) log("error", {{"error", purged.error().message}});
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, stop, interval_, [] { return false; });
    }
  }

  db::Database& database_;
  mail::Sender& sender_;
  const Clock& clock_;
  notify::DeliveryPolicy policy_;
  std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::jthread thread_;  // last: starts once everything it uses exists
};

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
    std::vector<std::string> trusted_proxies;
    int threads = 0;
    int header_timeout = 10;
    int body_timeout = 30;
    std::string quarantine;
    std::string audit_key, audit_anchors;
    int checkpoint_seconds = 15 * 60;
    bool quiet = false;
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
    {
      notify::DeliveryPolicy policy;
      policy.public_url = application.config().public_url;
      DeliveryLoop delivery(*database, *sender, clock, policy, std::chrono::seconds{mail_options->interval});
      CheckpointTimer checkpoints(*database, config.audit_anchors, clock,
                                  std::chrono::seconds{options->checkpoint_seconds});
      server.run();
    }  // the delivery loop and the checkpoint timer stop here, after the last request
    checkpoint_now(*database, config.audit_anchors, clock);
    std::cout << "kakehashi: 終了しました" << std::endl;
  });
}

}  // namespace kakehashi::cli
