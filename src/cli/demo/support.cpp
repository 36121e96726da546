// The demo programme year's support (issue 15). Not yet seeded: the part's engineer fills this in.
#include "cli/demo/programme.h"

namespace kakehashi::cli::demo {

Result<void> seed_support_and_budget(db::Transaction&, const DemoPeople&, const std::vector<operations::Operator>&, Instant) { return {}; }

}  // namespace kakehashi::cli::demo
