// The global option --roster-key (the key file of the roster's encrypted fields,
// compliance/crypto.h) and its application. Kept out of common.h so that the option does not
// touch every command group.
#pragma once

#include <string>

namespace kakehashi::cli {

// The value of --roster-key; empty: roster.key beside the database.
std::string& roster_key_option();

// Points the compliance module at the key file of --roster-key (or its default). Called by
// open_database() and by serve.
void configure_roster_key();

}  // namespace kakehashi::cli
