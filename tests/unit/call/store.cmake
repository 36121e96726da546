# The call service (rules) and its store on a real, migrated SQLite database, and the access
# rules. INTERNALS: the tests may read the store (private to the module) to check what it wrote.
kakehashi_test(call/store SOURCES store_test.cpp access_test.cpp rules_test.cpp handoffs_test.cpp
               DEPS kk_call kk_auth kk_audit kk_db kk_notify fmt::fmt INTERNALS kk_call)
