// The chapters modules provide from live data, as Markdown for the document engine (private to
// src/package). Each starts with its own "# " chapter heading. Nothing personal: operators and
// events by name, counts and amounts; never a person's name or e-mail.
#pragma once

#include <string>

#include "auth/roles.h"
#include "base/date.h"
#include "db/database.h"
#include "docs/chart.h"
#include "package/model.h"

namespace kakehashi::package::generate {

// `source`: call, operations, projects, events, effects, knowledge. `title` heads the chapters
// this module writes itself (effects and knowledge bring their own headings).
[[nodiscard]] Result<std::string> chapter(db::Transaction& tx, const auth::Principal& who, const std::string& source,
                                          const std::string& title, Instant now);

// The names and e-mail addresses of people the database holds (users: registrants of accounts,
// reviewers, staff; event registrants; the information-handler roster), through their modules'
// services: what the gate must never find in a public file.
struct People {
  std::vector<std::string> names;
  std::vector<std::string> emails;
};
[[nodiscard]] Result<People> people(db::Transaction& tx, const auth::Principal& who);

// Raw data exports for the non-public set: file stem → table.
struct RawTable {
  std::string name;  // "実証事業者一覧"
  docs::DataTable table;
};
[[nodiscard]] Result<std::vector<RawTable>> raw_tables(db::Transaction& tx, const auth::Principal& who);

}  // namespace kakehashi::package::generate
