// Information management on the command line (issue 21): `roster export`, `roster rotate-key`,
// `close-out` with `close-out verify` and `close-out export-key`.
//
// The close-out is a storage-level operation across modules, like `migrate`: it deletes the
// protected rows of every module's tables listed in kProtectedTables below in one transaction,
// with the compliance module's part (the roster's sealed fields, the key, the certificate)
// through its public functions.
#include <CLI/CLI.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "audit/anchor.h"
#include "audit/audit.h"
#include "auth/policy.h"
#include "base/date.h"
#include "cli/common.h"
#include "compliance/closeout.h"
#include "compliance/crypto.h"
#include "compliance/ledger.h"
#include "compliance/service.h"
#include "db/transfer.h"
#include "docs/figures.h"
#include "docs/markdown.h"
#include "docs/pdf.h"
#include "docs/render.h"
#include "web/app.h"

namespace kakehashi::cli {
namespace {

// Protected information (specification §8 ①: everything the contractor collected) that the
// close-out deletes, children before parents. Files (BLOB columns) are hashed before deletion.
struct ProtectedTable {
  const char* table;
  const char* file_column;  // nullptr: no file in this table
  const char* key = "id";   // what identifies a file in the certificate
};
constexpr ProtectedTable kProtectedTables[] = {
    // The call: applications' files and everything reviewers wrote.
    {"application_attachments", "content"},
    {"review_scores", nullptr},
    {"reviews", nullptr},
    {"review_assignments", nullptr},
    {"conflict_declarations", nullptr},
    // Operations: contact people, evidence files, uploaded activity lists.
    {"operator_contacts", nullptr},
    {"milestone_evidence", "content"},
    {"activity_imports", "content"},
    // Events: registrants (names, schools, e-mail addresses) and their matchmaking.
    {"event_match_requests", nullptr},
    {"event_meetings", nullptr},
    {"event_unscheduled", nullptr},
    {"event_registrations", nullptr},
    {"event_form_hits", nullptr},  // rate-limit subjects (addresses)
    {"event_link_keys", nullptr},  // the keys of registrants' cancel links
    // Effects: the survey answer files.
    {"effect_survey_files", "content"},
    // Meetings: guests' names, the materials' files, calendar feed tokens.
    {"meeting_attendees", nullptr},
    {"meeting_materials", "content"},
    {"meeting_feeds", nullptr},
    // Information management: evidence files of the half-yearly reports.
    {"compliance_report_evidence", "content"},
    // The report package: accepted exceptions (their findings quote the text) and the builds,
    // whose folders (the non-public set with raw data) are removed as well.
    {"package_exceptions", nullptr},
    {"package_final_report_files", "content", "report_id * 1000 + version"},  // operators' final reports
    {"package_final_report_reminders", nullptr},
    {"package_builds", nullptr},
    // Accounts: mails with names and addresses, notifications, sign-ups, resets, tokens, sessions.
    {"mail_outbox", nullptr},
    {"notifications", nullptr},
    {"pending_signups", nullptr},
    {"password_resets", nullptr},
    {"self_service_requests", nullptr},
    {"login_failures", nullptr},
    {"login_throttle", nullptr},
    {"api_tokens", nullptr},
    {"sessions", nullptr},
};

// The tables the close-out keeps, each with the reason. Every data table must be in one of the
// two lists: a module that adds a table adds it here or above, or the close-out refuses to run
// (tests/http/compliance.test.mjs runs it on the demo database).
struct KeptTable {
  const char* table;
  const char* reason;
};
constexpr KeptTable kKeptTables[] = {
    {"audit_log", "監査ログ（削除証明書が前後の先頭を示す。個人情報は記録しない）"},
    {"audit_head", "監査ログの先頭"},
    {"users", "経済産業省が削除証明書を確認するためのログイン"},
    {"user_roles", "同上"},
    {"organisations", "事業者・学校等の組織名（公表済みの採択結果の根拠）"},
    {"programme_staff", "事務局の体制（名簿とは別の業務分担）"},
    {"holiday_overrides", "祝日の設定"},
    {"budget_plan", "経理処理に関する資料（保存義務）"},
    {"expenses", "経理処理に関する資料（保存義務）"},
    {"calls", "公募の記録（公表済み）"},
    {"call_blocks", "公募の記録（公表済み）"},
    {"call_criteria", "公募の記録（公表済み）"},
    {"call_criterion_levels", "公募の記録（公表済み）"},
    {"call_decisions", "採択の決定（公表済み）"},
    {"call_documents", "公募要領等の公表資料"},
    {"call_publicity", "公募の周知の記録"},
    {"applications", "採択結果の根拠（添付ファイルと審査は削除）"},
    {"application_blocks", "同上"},
    {"reviewer_expertise", "審査員の専門分野（個人を特定しない分類）"},
    {"operators", "事業者と実証の記録（報告書に掲載）"},
    {"operator_blocks", "同上"},
    {"operations_settings", "運営の設定"},
    {"milestones", "マイルストーンの記録（証拠ファイルは削除）"},
    {"activity_import_mappings", "活動一覧の列の対応付け（内容は含まない）"},
    {"projects", "プロジェクトの件数の根拠（報告書に掲載）"},
    {"project_parties", "同上（学校・企業の名称と種別）"},
    {"project_sessions", "同上"},
    {"support_logs", "事業者への支援の記録（報告書に掲載）"},
    {"mentorings", "メンタリングの記録（報告書に掲載）"},
    {"mentoring_sessions", "同上"},
    {"events", "イベントの記録（公表済み）"},
    {"event_sessions", "同上"},
    {"event_slots", "同上"},
    {"event_costs", "経理処理に関する資料（保存義務）"},
    {"effect_kpis", "効果検証の指標（報告書に掲載）"},
    {"effect_kpi_actuals", "同上"},
    {"effect_surveys", "効果検証の集計結果（回答ファイルは削除）"},
    {"knowledge_items", "ポイント集・事例集（公表資料）"},
    {"knowledge_photos", "同上（公表の確認済みの写真）"},
    {"knowledge_stakeholders", "ステークホルダー一覧（役割の分類）"},
    {"knowledge_imports", "取り込みの記録（内容は含まない）"},
    {"knowledge_grams", "ポイント集・事例集の検索索引"},
    {"meetings", "会議の記録（議事録は報告書の根拠）"},
    {"meeting_series", "同上"},
    {"meeting_settings", "同上"},
    {"meeting_blocks", "同上"},
    {"meeting_agenda_items", "同上"},
    {"meeting_decisions", "同上"},
    {"meeting_action_items", "同上"},
    {"meeting_action_events", "同上"},
    {"package_chapters", "報告書の章（納品済みの報告書の原稿）"},
    {"package_chapter_versions", "同上"},
    {"package_final_reports", "成果報告書の提出と確認の記録（ファイルは削除）"},
    {"package_settings", "報告書パッケージの設定"},
    {"roster_people", "名簿（暗号化した項目は鍵の破棄で読めなくなる）"},
    {"roster_changes", "名簿の変更の記録（同上）"},
    {"roster_versions", "名簿の版（個人の項目は含まない）"},
    {"compliance_reports", "情報管理の実施状況の報告（提出済み）"},
    {"compliance_report_answers", "同上"},
    {"compliance_report_events", "同上"},
    {"incidents", "情報セキュリティ事故の記録（報告済み）"},
    {"incident_reports", "同上"},
    {"closeout_settings", "納品の記録"},
    {"closeouts", "削除証明書"},
};

// Tables of the database in neither list: the close-out refuses to run while there are any.
std::vector<std::string> unclassified(const std::vector<std::string>& tables) {
  std::vector<std::string> out;
  for (const auto& name : tables) {
    bool known = std::ranges::any_of(kProtectedTables, [&](const ProtectedTable& t) { return name == t.table; }) ||
                 std::ranges::any_of(kKeptTables, [&](const KeptTable& t) { return name == t.table; });
    if (!known) out.push_back(name);
  }
  return out;
}

SystemClock& clock() {
  static SystemClock c;
  return c;
}

void write_or_exit(const std::filesystem::path& path, std::string_view bytes) {
  value_or_exit(docs::write_file(path, bytes));
}

}  // namespace

void register_compliance(CLI::App& app) {
  // --- routes: what the roster gate covers (tests/http/compliance.test.mjs walks it) ---
  auto only_protected = std::make_shared<bool>(false);
  auto* routes = app.add_subcommand("routes", "画面と API の経路を一覧する（JSON Lines: method, pattern, 通過できるロール, 名簿で保護）");
  routes->add_flag("--protected", *only_protected, "名簿で保護された経路（protected_info）だけを表示する");
  routes->callback([only_protected] {
    auto database = open_database();
    web::Application application(*database, clock(), web::AppConfig{});
    web::register_routes(application);
    for (const auto& route : application.router().routes()) {
      if (*only_protected && !route.options.protected_info) continue;
      boost::json::array roles;
      for (const auto& info : auth::kRoles) {
        auth::Principal principal;
        principal.roles.insert(info.role);
        if (!route.options.required || auth::may(principal, *route.options.required)) roles.push_back(boost::json::string(info.id));
      }
      boost::json::object line{{"method", std::string(web::http::to_string(route.method))},
                               {"pattern", route.pattern},
                               {"public", route.options.public_route},
                               {"protected", route.options.protected_info},
                               {"roles", std::move(roles)}};
      std::cout << boost::json::serialize(line) << "\n";
    }
  });

  // --- sbom ---
  auto* sbom = app.add_subcommand("sbom", "ソフトウェア部品表（CycloneDX 1.5 JSON、ビルド時に生成）を標準出力に書く");
  sbom->callback([] { std::cout << compliance::sbom_json(); });

  // --- roster ---
  auto* roster = app.add_subcommand("roster", "情報取扱者名簿（様式4）");
  roster->require_subcommand(1);
  auto out = std::make_shared<std::string>();
  auto* export_cmd = roster->add_subcommand("export", "承認済みの名簿を様式4の XLSX に出力する（個人情報を含む。監査ログに記録）");
  export_cmd->add_option("--out", *out, "出力する XLSX ファイル")->required();
  export_cmd->callback([out] {
    auto database = open_database();
    auto rows = value_or_exit(database->transact<std::vector<compliance::RosterSheetRow>>(
        db::TxMode::kWrite, [&](db::Transaction& tx) { return compliance::roster_sheet(tx, std::nullopt, true, clock().now()); }));
    docs::DataTable table;
    table.header = {"区分", "氏名", "個人住所", "生年月日", "所属部署", "役職", "パスポート番号及び国籍"};
    auto cell = [](std::string text) { return docs::DataCell{std::move(text), 0, false}; };
    for (const auto& r : rows) {
      table.rows.push_back({cell(r.category), cell(r.name), cell(r.address), cell(r.birth_date), cell(r.department),
                            cell(r.title), cell(r.passport_nationality)});
    }
    value_or_exit(docs::write_figure_xlsx({"", "情報取扱者名簿（様式4）", std::move(table)}, *out));
    std::cout << "名簿（" << rows.size() << " 人）を出力しました: " << *out << "\n";
  });

  auto* rotate = roster->add_subcommand(
      "rotate-key", "名簿の暗号化鍵を新しい鍵に替え、暗号化された項目をすべて新しい鍵で暗号化し直す（サーバーを止めて実行）");
  rotate->callback([] {
    auto database = open_database();
    auto path = compliance::field_key_path();
    auto count = value_or_exit(compliance::rotate_field_key(*database, path, clock().now()));
    std::cout << "名簿の暗号化鍵を替えました（" << count << " 項目を暗号化し直しました）: " << path.string() << "\n";
  });

  // --- close-out ---
  struct CloseOptions {
    std::string package;
    bool yes = false;
    std::string out = "closeout";
    std::string signing_key;
    std::string certificate;
    std::string public_key;
  };
  auto options = std::make_shared<CloseOptions>();
  auto* close = app.add_subcommand(
      "close-out", "事業終了時の情報の削除: 引き渡す資料を出力し、保護すべき情報を削除して名簿の鍵を破棄し、署名付きの削除証明書を作成する");
  close->add_option("--package-delivered", options->package,
                    "報告書パッケージ（非公開分を含む）を納品したことの確認（納品日と受領の記録。省略時は画面で記録した納品）");
  close->add_flag("--yes", options->yes, "削除を実行することの確認（取り消せません）");
  close->add_option("--out", options->out, "引き渡す資料と削除証明書を書き出すフォルダ（既定: closeout）");
  close->add_option("--signing-key", options->signing_key,
                    "削除証明書の署名鍵（既定: データベースと同じ場所の closeout-signing.key）");
  auto signing_key_path = [options] {
    return options->signing_key.empty() ? compliance::default_closeout_key_path(global_options().db_path)
                                        : std::filesystem::path(options->signing_key);
  };

  auto* verify = close->add_subcommand("verify", "削除証明書（JSON）の署名を検証する（一致しなければ終了コード 1）");
  verify->add_option("certificate", options->certificate, "削除証明書の JSON ファイル")->required();
  verify->add_option("--public-key", options->public_key, "事前に受け取った公開鍵（PEM）");
  verify->callback([options] {
    std::string json = read_file_or_exit(options->certificate, "削除証明書");
    std::optional<audit::PublicKey> expected;
    if (!options->public_key.empty()) expected = value_or_exit(audit::read_public_key(options->public_key));
    auto check = compliance::verify_certificate(json, expected);
    if (!check.valid) {
      std::cerr << "kakehashi: " << check.problem << "\n";
      throw ExitWith{kExitFindings};
    }
    std::cout << "削除証明書の署名は有効です（" << check.certificate->run_at << "、表 " << check.certificate->tables.size()
              << " 件、ファイル " << check.certificate->files.size() << " 件）\n";
  });

  auto* export_key = close->add_subcommand("export-key", "削除証明書の署名の公開鍵（PEM）を表示する（経済産業省に事前に渡す）");
  export_key->callback([signing_key_path] {
    auto key = value_or_exit(audit::load_or_create_signing_key(signing_key_path()));
    std::cout << key.public_key().pem();
  });

  close->callback([options, close, signing_key_path] {
    if (!close->get_subcommands().empty()) return;  // verify / export-key ran
    if (options->package.empty()) {
      // The delivery recorded on the close-out screen (/compliance/closeout). The seam for the
      // report package module: compliance::package_delivery is where package::delivered_at goes.
      auto recorded = value_or_exit(open_database()->transact<std::optional<compliance::PackageDelivery>>(
          db::TxMode::kRead, [](db::Transaction& tx) { return compliance::package_delivery(tx); }));
      if (recorded) options->package = recorded->confirmation();
    }
    if (options->package.empty()) {
      throw CommandError(kExitUsage,
                         "報告書パッケージの納品が確認されていません。納品を確認してから --package-delivered に納品日と受領の記録を指定してください");
    }
    if (!options->yes) {
      throw CommandError(kExitUsage, "保護すべき情報を削除します（取り消せません）。実行するには --yes を付けてください");
    }
    auto database = open_database();
    auto signing = value_or_exit(audit::load_or_create_signing_key(signing_key_path()));
    auto key_path = compliance::field_key_path();
    auto field_key = value_or_exit(compliance::load_field_key(key_path));
    std::filesystem::path dir = options->out;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw CommandError(kExitEnvironment, "出力フォルダを作成できません: " + dir.string());
    std::chrono::sys_seconds now = clock().now();
    std::string json;
    compliance::Certificate certificate;
    std::vector<std::filesystem::path> package_folders;  // removed once the deletion is committed
    value_or_exit(database->write([&](db::Transaction& tx) -> Result<void> {
      // Deleted content is overwritten in the file, not only unlinked from the b-tree (SQLite;
      // on PostgreSQL the rows leave the heap at the next VACUUM, docs/deployment.md).
      if (database->backend() == "sqlite") {
        if (auto r = tx.exec("PRAGMA secure_delete = ON"); !r) return r;
      }
      // The handover: accounting records that must be kept (specification §9) and the roster's
      // history without personal fields.
      auto expenses = tx.query("SELECT spent_on, category, budget_line, description, amount FROM expenses ORDER BY spent_on, id");
      if (!expenses) return fail(expenses.error());
      docs::DataTable accounts;
      accounts.header = {"支出日", "費目", "予算の行", "内容", "金額（円）"};
      for (const auto& row : *expenses) {
        accounts.rows.push_back({{row.text(0), 0, false}, {row.text(1), 0, false}, {row.text(2), 0, false},
                                 {row.text(3), 0, false}, {row.text(4), double(row.integer(4)), true}});
      }
      if (auto r = docs::write_figure_xlsx({"", "経理処理に関する資料（支出）", std::move(accounts)}, dir / "経理資料_支出.xlsx"); !r)
        return r;
      auto versions = compliance::all_versions(tx);
      if (!versions) return fail(versions.error());
      boost::json::array history;
      for (const auto& v : *versions) {
        history.push_back({{"version", v.version}, {"change_id", v.change_id}, {"approved_at", iso_utc(v.approved_at)},
                           {"people", boost::json::parse(v.snapshot)}});
      }
      if (auto r = docs::write_file(dir / "roster-versions.json", boost::json::serialize(history)); !r) return r;

      auto tables = db::data_tables(*database, tx);
      if (!tables) return fail(tables.error());
      if (auto missing = unclassified(*tables); !missing.empty()) {
        return fail(Error::invalid(fmt::format(
            "削除するか残すかが決まっていない表があります: {}（src/cli/compliance.cpp の一覧に加えてから実行してください）",
            fmt::join(missing, ", "))));
      }
      auto before = compliance::audit_head(tx);
      if (!before) return fail(before.error());
      certificate.head_before = *before;
      // The report package's folders (the non-public set holds raw data): every file hashed,
      // then removed with the rows; the package was delivered before (checked above).
      auto builds = tx.query("SELECT id, out_dir FROM package_builds ORDER BY id");
      if (!builds) return fail(builds.error());
      for (const auto& row : *builds) {
        std::filesystem::path folder = row.text(1);
        std::error_code ec;
        if (folder.empty() || !std::filesystem::is_directory(folder, ec)) continue;
        std::vector<std::filesystem::path> files;
        for (auto it = std::filesystem::recursive_directory_iterator(folder, ec);
             !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
          if (it->is_regular_file(ec)) files.push_back(it->path());
        }
        std::ranges::sort(files);
        for (const auto& file : files) {
          std::ifstream in(file, std::ios::binary);
          std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
          if (!in.good() && !in.eof()) return fail(Error::internal("報告書パッケージのファイルを読めません: " + file.string()));
          certificate.files.push_back({"package_builds", row.integer(0), std::int64_t(bytes.size()),
                                       compliance::sha256_hex(bytes)});
        }
        package_folders.push_back(folder);
      }
      for (const auto& t : kProtectedTables) {
        if (t.file_column) {
          auto files = tx.query(fmt::format("SELECT {0}, {1} FROM {2} WHERE {1} IS NOT NULL ORDER BY 1", t.key, t.file_column,
                                            t.table));
          if (!files) return fail(files.error());
          for (const auto& row : *files) {
            const auto* blob = std::get_if<db::Blob>(&row.at(1));
            std::string bytes = blob ? blob->bytes : row.text(1);
            certificate.files.push_back({t.table, row.integer(0), std::int64_t(bytes.size()), compliance::sha256_hex(bytes)});
          }
        }
        auto count = tx.scalar(fmt::format("SELECT COUNT(*) FROM {}", t.table));
        if (!count) return fail(count.error());
        if (auto r = tx.exec(fmt::format("DELETE FROM {}", t.table)); !r) return r;
        certificate.tables.push_back({t.table, *count});
      }
      auto sealed = compliance::shred_roster_fields(tx);
      if (!sealed) return fail(sealed.error());
      certificate.sealed_fields = *sealed;
      boost::json::object detail{{"tables", std::int64_t(certificate.tables.size())},
                                 {"files", std::int64_t(certificate.files.size())},
                                 {"sealed_fields", *sealed}};
      auto logged = audit::record(tx, audit::entry_by(audit::Actor::system(), "compliance.closeout", "closeout",
                                                      boost::json::serialize(detail)),
                                  now);
      if (!logged) return fail(logged.error());
      auto after = compliance::audit_head(tx);
      if (!after) return fail(after.error());
      certificate.head_after = *after;
      // Crypto-shredding before the commit: if the key cannot be destroyed nothing is deleted.
      certificate.key_file = key_path.string();
      certificate.key_id = field_key.id_hex();
      if (auto r = compliance::destroy_field_key(key_path); !r) return r;
      certificate.key_destroyed = true;
      certificate.run_at = iso_utc(now);
      certificate.run_by = "system";
      certificate.package_confirmation = options->package;
      json = compliance::sign_certificate(certificate, signing);
      return compliance::record_closeout(tx, certificate, json, now);
    }));
    compliance::roster_changed();
    for (const auto& folder : package_folders) {
      std::error_code ec;
      std::filesystem::remove_all(folder, ec);
      if (ec) std::cerr << "kakehashi: 注意: 報告書パッケージのフォルダを削除できませんでした: " << folder.string() << "\n";
    }
    write_or_exit(dir / "deletion-certificate.json", json);
    auto document = value_or_exit(docs::parse_markdown(compliance::certificate_markdown(certificate)));
    document.meta.title = "情報の削除証明書";
    document.meta.issuer = "架け橋事務局";
    auto pdf = docs::render_pdf(document);
    if (pdf) {
      write_or_exit(dir / "deletion-certificate.pdf", *pdf);
    } else {
      std::cerr << "kakehashi: 注意: PDF を作成できませんでした（" << pdf.error().message << "）。JSON 版は作成済みです\n";
    }
    std::size_t rows = 0;
    for (const auto& t : certificate.tables) rows += std::size_t(t.rows);
    std::cout << fmt::format("保護すべき情報を削除しました（{} 表 {} 行、ファイル {} 件、名簿の暗号化項目 {} 件）。名簿の鍵を破棄しました。\n",
                             certificate.tables.size(), rows, certificate.files.size(), certificate.sealed_fields)
              << "削除証明書: " << (dir / "deletion-certificate.json").string() << "\n";
  });
}

}  // namespace kakehashi::cli
