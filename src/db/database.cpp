#include "db/database.h"

#include <fmt/format.h>

#include <stdexcept>

#include "db/backends.h"

namespace kakehashi::db {

Result<void> ping(Database& database) {
  auto tx = database.begin(TxMode::kRead);
  if (!tx) return fail(tx.error());
  auto one = (*tx)->scalar("SELECT 1");
  if (!one) return fail(one.error());
  return {};
}

std::int64_t Row::integer(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v)) return std::stoll(*s);
  return 0;
}

double Row::real(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  if (auto* s = std::get_if<std::string>(&v)) return std::stod(*s);
  return 0;
}

std::string Row::text(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* b = std::get_if<Blob>(&v)) return b->bytes;
  if (auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return {};
}

std::optional<std::string> Row::optional_text(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

std::optional<std::int64_t> Row::optional_integer(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return integer(i);
}

size_t Row::index(std::string_view name) const {
  for (size_t i = 0; i < names_->size(); ++i) {
    if ((*names_)[i] == name) return i;
  }
  throw std::out_of_range(fmt::format("no column named {}", name));
}

Result<std::optional<Row>> Transaction::query_one(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (!rows) return fail(rows.error());
  if (rows->empty()) return std::optional<Row>{};
  return std::optional<Row>{std::move(rows->front())};
}

Result<std::int64_t> Transaction::scalar(std::string_view sql, const Params& params) {
  auto row = query_one(sql, params);
  if (!row) return fail(row.error());
  if (!*row || (*row)->size() == 0) return std::int64_t{0};
  return (*row)->integer(0);
}

Result<std::unique_ptr<Database>> open_url(const std::string& url, int pool_size) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return open_postgresql(url, pool_size);
  if (url.starts_with("sqlite:")) return open_sqlite(url.substr(7), pool_size);
  return fail(Error::invalid(fmt::format(
      "データベースの URL は postgresql://… または sqlite:ファイル名 の形式で指定してください: {}", url)));
}

Result<std::unique_ptr<Database>> open(const std::string& path, const std::string& url, int pool_size) {
  if (!url.empty()) return open_url(url, pool_size);
  return open_sqlite(path, pool_size);
}

}  // namespace kakehashi::db
