// Typed views of the dashboard (templates/dashboard/).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/view_model.h"

namespace kakehashi::web::dashboardweb {

struct MilestoneRow {
  std::string date_label;
  std::string title;
  std::optional<std::string> note;
  std::string state;   // done, current, next, upcoming (a CSS modifier)
  std::string status;  // 済 / 本日 / あと n 業務日
  void fields(auto& f) const {
    f("date_label", date_label);
    f("title", title);
    f("note", note);
    f("state", state);
    f("status", status);
  }
};

struct WeekdayHeading {
  std::string label;
  std::string css_class;
  void fields(auto& f) const {
    f("label", label);
    f("class", css_class);
  }
};

struct DayCell {
  std::optional<std::string> day;  // none outside the month
  std::optional<std::string> holiday;
  std::string css_class;
  void fields(auto& f) const {
    f("day", day);
    f("holiday", holiday);
    f("class", css_class);
  }
};

struct Week {
  std::vector<DayCell> days;
  void fields(auto& f) const { f("days", days); }
};

struct HolidayRow {
  std::string date;
  std::string name;
  void fields(auto& f) const {
    f("date", date);
    f("name", name);
  }
};

struct BlockRow {
  std::string order;
  std::string name;
  std::string prefectures;
  std::string bureaus;
  void fields(auto& f) const {
    f("order", order);
    f("name", name);
    f("prefectures", prefectures);
    f("bureaus", bureaus);
  }
};

// The programme part of the home (schedule, month, blocks): the same for everyone on a day, so
// rendered once a minute (templates/dashboard/index.mustache).
struct DashboardView {
  std::vector<MilestoneRow> milestones;
  std::string month_label;
  std::vector<WeekdayHeading> weekdays;
  std::vector<Week> weeks;
  bool has_holidays = false;
  std::vector<HolidayRow> holidays;
  std::vector<BlockRow> blocks;
  void fields(auto& f) const {
    f("milestones", milestones);
    f("month_label", month_label);
    f("weekdays", weekdays);
    f("weeks", weeks);
    f("has_holidays", has_holidays);
    f("holidays", holidays);
    f("blocks", blocks);
  }
};

// The role's home (issue 16 item 7): one section per role the person holds, each a list of
// what is due with a link to the page where it is done (templates/dashboard/home.mustache, its
// own region above the cached programme part).
// A module adds its own section (e.g. operations) by adding a TaskSection.
struct TaskItem {
  std::string text;
  std::optional<std::string> href;
  std::optional<std::string> due;  // 「締切 12月25日（金）17:00・あと 3 日」
  bool urgent = false;             // due within three days, or waiting on this person
  void fields(auto& f) const {
    f("text", text);
    f("href", href);
    f("due", due);
    f("urgent", urgent);
  }
};
struct TaskSection {
  std::string id;       // secretariat, meti, reviewer, operator, bureau
  std::string heading;  // 「事務局の作業」
  std::vector<TaskItem> items;
  std::string empty;    // 「いま対応が必要な作業はありません。」
  void fields(auto& f) const {
    f("section_id", id);
    f("heading", heading);
    f("items", items);
    f("empty", empty);
  }
};
struct TasksView {
  std::vector<TaskSection> sections;
  void fields(auto& f) const { f("sections", sections); }
};
// The home page: today, the person's task sections, then the cached programme part.
struct HomeView {
  std::string today;
  std::vector<TaskSection> sections;
  Html programme;
  void fields(auto& f) const {
    f("today", today);
    f("sections", sections);
    f("programme", programme);
  }
};

}  // namespace kakehashi::web::dashboardweb
