#include "inspect/finding.h"

#include <fmt/format.h>

#include <array>
#include <boost/json.hpp>
#include <stdexcept>

namespace kakehashi::inspect {

namespace {

using enum Severity;

// The finding table. Severity is the default; a detector may raise or lower it where the
// issue's rules say so (noted beside the row). `{}` takes the detail.
constexpr std::array kCodes = {
    // Any file.
    FindingCode{"file.unreadable", kError, "読み取れないファイル",
                "ファイルを読み取れません: {}"},
    FindingCode{"file.unsupported", kError, "検査できない形式",
                "対応していない形式のため検査していません: {}"},
    FindingCode{"file.zip_bomb", kError, "圧縮爆弾の疑い（ZIP）",
                "圧縮爆弾の疑いがあるため展開を中止しました: {}"},
    FindingCode{"file.decompression_bomb", kError, "圧縮爆弾の疑い（PDF 内のデータ）",
                "展開すると巨大になるデータ（圧縮爆弾の疑い）があるため、展開を中止しました: {}"},
    FindingCode{"file.resource_limit", kError, "検査の上限を超えたファイル",
                "検査が上限を超えたため中断しました（{}）。このファイルは公開できません"},
    // PDF. pdf.info_metadata: error when Author or a custom key is set, else warning.
    FindingCode{"pdf.info_metadata", kError, "文書情報（作成者など）",
                "文書情報に次の項目が設定されています: {}"},
    FindingCode{"pdf.xmp_metadata", kWarning, "埋め込まれたメタデータ（XMP）",
                "XMP メタデータが埋め込まれています{}"},
    FindingCode{"pdf.private_data", kWarning, "アプリケーション固有の隠れたデータ",
                "アプリケーション固有の非表示データがあります: {}"},
    FindingCode{"pdf.signature", kWarning, "電子署名",
                "電子署名があります（クリーニングすると署名は無効になります）{}"},
    FindingCode{"pdf.embedded_file", kError, "添付ファイル",
                "添付ファイルが埋め込まれています: {}"},
    FindingCode{"pdf.javascript", kError, "JavaScript（自動で動くプログラム）",
                "JavaScript が含まれています{}"},
    FindingCode{"pdf.action", kWarning, "自動実行・外部への動作",
                "自動実行または外部への動作が設定されています: {}"},
    FindingCode{"pdf.annotation", kError, "注釈（コメントなど）",
                "注釈（コメント・ポップアップ・添付など）があります: {}"},
    FindingCode{"pdf.form", kWarning, "入力フォーム",
                "入力フォームがあります: {}"},
    FindingCode{"pdf.hidden_layer", kError, "非表示のレイヤー",
                "非表示のレイヤーがあります: {}"},
    FindingCode{"pdf.incremental_update", kError, "以前の版が残る追記保存",
                "追記保存により以前の版が復元できます（{}）"},
    FindingCode{"pdf.no_text_layer", kError, "文字を抽出できないページ",
                "テキストを抽出できないページがあります（R6.7 はテキスト付き PDF を求めます）{}"},
    FindingCode{"pdf.encrypted", kError, "暗号化・パスワード保護",
                "暗号化されています{}"},
    // OOXML (XLSX, DOCX, PPTX). ooxml.core_properties: error when a person field is set.
    FindingCode{"ooxml.core_properties", kError, "文書のプロパティ（作成者など）",
                "文書のプロパティに次の項目が設定されています: {}"},
    FindingCode{"ooxml.app_properties", kWarning, "アプリケーションのプロパティ（会社名など）",
                "アプリケーションのプロパティに次の項目が設定されています: {}"},
    FindingCode{"ooxml.custom_properties", kError, "ユーザー設定のプロパティ",
                "ユーザー設定のプロパティがあります: {}"},
    FindingCode{"ooxml.comments", kError, "コメント",
                "コメントがあります: {}"},
    FindingCode{"ooxml.embedded_object", kError, "埋め込みオブジェクト",
                "埋め込みオブジェクトがあります: {}"},
    FindingCode{"ooxml.macro", kError, "マクロ・ActiveX コントロール",
                "マクロまたは ActiveX コントロールが含まれています: {}"},
    FindingCode{"ooxml.external_link", kError, "外部のファイルへのリンク",
                "外部のファイルへのリンクがあります: {}"},
    FindingCode{"ooxml.custom_xml", kWarning, "カスタム XML データ",
                "カスタム XML データが含まれています{}"},
    FindingCode{"ooxml.thumbnail", kWarning, "縮小版の画像（サムネイル）",
                "縮小版の画像（サムネイル）が含まれています{}"},
    FindingCode{"ooxml.printer_settings", kWarning, "プリンターの設定",
                "プリンターの設定が含まれています{}"},
    FindingCode{"ooxml.unreferenced_part", kWarning, "どこからも参照されていない部品",
                "どこからも参照されていない部品が含まれています: {}"},
    FindingCode{"ooxml.unsafe_xml", kError, "危険な XML 構造",
                "危険な XML 構造（DTD・実体宣言・外部スキーマ）があります: {}"},
    FindingCode{"ooxml.xml_limit", kError, "上限を超える XML",
                "XML が上限を超えています: {}"},
    FindingCode{"docx.tracked_change", kError, "変更履歴",
                "変更履歴が残っています: {}"},
    FindingCode{"docx.track_changes_on", kInfo, "変更履歴の記録が有効",
                "変更履歴の記録が有効になっています{}"},
    FindingCode{"docx.hidden_text", kError, "隠し文字",
                "隠し文字があります: {}"},
    FindingCode{"docx.document_variable", kWarning, "文書変数（隠れたデータ）",
                "文書変数（非表示のデータ）があります: {}"},
    FindingCode{"xlsx.hidden_sheet", kError, "非表示のシート",
                "非表示のシートがあります{}"},
    FindingCode{"xlsx.very_hidden_sheet", kError, "完全に非表示のシート",
                "完全に非表示（veryHidden）のシートがあります{}"},
    FindingCode{"xlsx.hidden_row", kError, "非表示の行",
                "非表示の行があります{}"},
    FindingCode{"xlsx.hidden_column", kError, "非表示の列",
                "非表示の列があります{}"},
    FindingCode{"xlsx.hidden_name", kWarning, "非表示の名前定義",
                "非表示の名前定義があります: {}"},
    FindingCode{"xlsx.pivot_cache", kWarning, "ピボットテーブルの元データ",
                "ピボットテーブルの元データのコピーが含まれています{}"},
    FindingCode{"xlsx.data_connection", kWarning, "外部データへの接続",
                "外部データへの接続が定義されています{}"},
    FindingCode{"pptx.hidden_slide", kError, "非表示のスライド",
                "非表示のスライドがあります{}"},
    FindingCode{"pptx.speaker_notes", kWarning, "発表者ノート",
                "発表者ノートがあります{}"},
    // Personal information in text. All errors except the corporate number, which is public.
    // Issue 23 item 1: metadata of photographs inside documents (EXIF, XMP, IPTC).
    FindingCode{"image.gps", kError, "写真の撮影場所（GPS）",
                "画像に撮影場所（GPS の位置情報）が記録されています{}"},
    FindingCode{"image.person", kError, "写真の撮影者・所有者の名前",
                "画像に撮影者・所有者などの名前が記録されています: {}"},
    FindingCode{"image.camera", kWarning, "写真のカメラ情報",
                "画像にカメラの情報（機種・製造番号など）が記録されています: {}"},
    FindingCode{"pii.email", kError, "メールアドレス",
                "メールアドレスがあります: {}"},
    FindingCode{"pii.phone", kError, "電話番号",
                "電話番号があります: {}"},
    FindingCode{"pii.postal_address", kError, "郵便番号付きの住所",
                "郵便番号付きの住所があります: {}"},
    FindingCode{"pii.my_number", kError, "マイナンバー（個人番号）",
                "個人番号（マイナンバー）があります: {}"},
    FindingCode{"pii.passport", kError, "旅券番号",
                "旅券番号があります: {}"},
    FindingCode{"pii.deny_list", kError, "公開してはならない名前",
                "公開してはならない名前があります: {}"},
    FindingCode{"pii.corporate_number", kInfo, "法人番号（公開情報）",
                "法人番号があります（公開情報）: {}"},
    FindingCode{"pii.truncated", kWarning, "省略した同じ種類の個人情報",
                "同じ種類の個人情報が多いため、以降の {} 件は省略しました"},

};

}  // namespace

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case kError:
      return "error";
    case kWarning:
      return "warning";
    case kInfo:
      return "info";
  }
  return "info";
}

std::string_view severity_label(Severity severity) {
  switch (severity) {
    case kError:
      return "エラー";
    case kWarning:
      return "警告";
    case kInfo:
      return "情報";
  }
  return "情報";
}

std::optional<Severity> parse_severity(std::string_view name) {
  if (name == "error") return kError;
  if (name == "warning") return kWarning;
  if (name == "info") return kInfo;
  return std::nullopt;
}

std::span<const FindingCode> finding_codes() { return kCodes; }

const FindingCode* find_code(std::string_view code) {
  for (const auto& row : kCodes) {
    if (row.code == code) return &row;
  }
  return nullptr;
}

std::string_view finding_label(std::string_view code) {
  const FindingCode* row = find_code(code);
  return row == nullptr ? code : row->label;
}

Finding make_finding(std::string_view code, std::string location, std::string_view detail,
                     std::optional<Severity> severity) {
  const FindingCode* row = find_code(code);
  if (row == nullptr) throw std::logic_error(fmt::format("unknown finding code {}", code));
  return Finding{std::string(code), severity.value_or(row->severity), std::move(location),
                 fmt::format(fmt::runtime(row->message), detail)};
}

std::string_view file_type_name(FileType type) {
  switch (type) {
    case FileType::kPdf:
      return "pdf";
    case FileType::kXlsx:
      return "xlsx";
    case FileType::kDocx:
      return "docx";
    case FileType::kPptx:
      return "pptx";
    case FileType::kCsv:
      return "csv";
    case FileType::kOdt:
      return "odt";
    case FileType::kOds:
      return "ods";
    case FileType::kOdp:
      return "odp";
    case FileType::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::optional<FileType> parse_file_type(std::string_view name) {
  for (auto type : {FileType::kPdf, FileType::kXlsx, FileType::kDocx, FileType::kPptx,
                    FileType::kCsv, FileType::kOdt, FileType::kOds, FileType::kOdp,
                    FileType::kUnknown}) {
    if (file_type_name(type) == name) return type;
  }
  return std::nullopt;
}

bool FileReport::has_error() const {
  for (const auto& finding : findings) {
    if (finding.severity == kError) return true;
  }
  return false;
}

Summary summarize(std::span<const FileReport> reports) {
  Summary summary;
  for (const auto& report : reports) {
    for (const auto& finding : report.findings) {
      switch (finding.severity) {
        case kError:
          ++summary.error;
          break;
        case kWarning:
          ++summary.warning;
          break;
        case kInfo:
          ++summary.info;
          break;
      }
    }
  }
  return summary;
}

namespace {

boost::json::object report_object(const FileReport& report) {
  boost::json::array findings;
  for (const auto& finding : report.findings) {
    findings.push_back(boost::json::object{{"code", finding.code},
                                           {"severity", severity_name(finding.severity)},
                                           {"location", finding.location},
                                           {"message", finding.message}});
  }
  return boost::json::object{{"path", report.path},
                             {"type", file_type_name(report.type)},
                             {"stats", boost::json::object{{"bytes", report.stats.bytes},
                                                           {"pages", report.stats.pages},
                                                           {"chars", report.stats.chars}}},
                             {"findings", std::move(findings)}};
}

// "XLSX" for people; "不明な形式" for a file the inspector could not place.
std::string type_label(FileType type) {
  if (type == FileType::kUnknown) return "不明な形式";
  std::string name(file_type_name(type));
  for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::string with_commas(std::uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string file_report_to_json(const FileReport& report) {
  return boost::json::serialize(report_object(report));
}

std::string to_json(std::span<const FileReport> reports) {
  boost::json::array files;
  for (const auto& report : reports) files.push_back(report_object(report));
  Summary summary = summarize(reports);
  boost::json::object root{{"files", std::move(files)},
                           {"summary", boost::json::object{{"error", summary.error},
                                                           {"warning", summary.warning},
                                                           {"info", summary.info}}}};
  return boost::json::serialize(root);
}

Result<FileReport> file_report_from_json(std::string_view json) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return fail(Error::invalid("検査結果の形式が正しくありません"));
  try {
    const auto& object = value.as_object();
    FileReport report;
    report.path = boost::json::value_to<std::string>(object.at("path"));
    auto type = parse_file_type(object.at("type").as_string());
    if (!type) return fail(Error::invalid("検査結果の形式が正しくありません"));
    report.type = *type;
    const auto& stats = object.at("stats").as_object();
    report.stats.bytes = boost::json::value_to<std::uint64_t>(stats.at("bytes"));
    report.stats.pages = boost::json::value_to<std::uint64_t>(stats.at("pages"));
    report.stats.chars = boost::json::value_to<std::uint64_t>(stats.at("chars"));
    for (const auto& item : object.at("findings").as_array()) {
      const auto& f = item.as_object();
      auto severity = parse_severity(f.at("severity").as_string());
      if (!severity) return fail(Error::invalid("検査結果の形式が正しくありません"));
      report.findings.push_back(Finding{boost::json::value_to<std::string>(f.at("code")), *severity,
                                        boost::json::value_to<std::string>(f.at("location")),
                                        boost::json::value_to<std::string>(f.at("message"))});
    }
    return report;
  } catch (const std::exception&) {
    return fail(Error::invalid("検査結果の形式が正しくありません"));
  }
}

std::string to_text(std::span<const FileReport> reports) {
  std::string out;
  for (const auto& report : reports) {
    out += fmt::format("{}（{}、{} バイト、{} ページ、{} 文字）\n", report.path,
                       type_label(report.type), with_commas(report.stats.bytes),
                       with_commas(report.stats.pages), with_commas(report.stats.chars));
    if (report.findings.empty()) out += "  指摘はありません\n";
    for (const auto& finding : report.findings) {
      out += fmt::format("  [{}] {}", severity_label(finding.severity), finding.code);
      if (!finding.location.empty()) out += fmt::format("（{}）", finding.location);
      out += fmt::format(" {}\n", finding.message);
    }
  }
  Summary summary = summarize(reports);
  out += fmt::format("{} ファイルを検査しました: エラー {} 件、警告 {} 件、情報 {} 件\n",
                     reports.size(), summary.error, summary.warning, summary.info);
  return out;
}

}  // namespace kakehashi::inspect
