# The call store and its access rules on a real, migrated SQLite database.
kakehashi_test(call/store SOURCES store_test.cpp access_test.cpp DEPS kk_call kk_auth kk_audit kk_db fmt::fmt)
