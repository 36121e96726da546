// Tables that give an enum's values their storage text and Japanese label, one row per value:
//   constexpr std::array<Named<Status>, 2> kStatuses{{{Status::kOpen, "open", "受付中"}, …}};
//   id_of(kStatuses, s) → "open", label_of(kStatuses, s) → "受付中", from_id(kStatuses, "open").
// A module's model.cpp keeps its tables; the lookups are shared.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace kakehashi::named {

template <typename E>
struct Named {
  E value;
  std::string_view id;
  std::string_view label;
};

template <typename E, std::size_t N>
std::string_view id_of(const std::array<Named<E>, N>& table, E value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.id;
  }
  return "";
}

template <typename E, std::size_t N>
std::string_view label_of(const std::array<Named<E>, N>& table, E value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.label;
  }
  return "";
}

template <typename E, std::size_t N>
std::optional<E> from_id(const std::array<Named<E>, N>& table, std::string_view id) {
  for (const auto& entry : table) {
    if (entry.id == id) return entry.value;
  }
  return std::nullopt;
}

}  // namespace kakehashi::named
