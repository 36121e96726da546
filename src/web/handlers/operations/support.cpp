// Screens of the operations module: the support log, mentoring, to-do list, budget and staff (issue 15).
#include "web/handlers/operations/common.h"

namespace kakehashi::web {

void register_operations_support_routes(Application&) {}

}  // namespace kakehashi::web
