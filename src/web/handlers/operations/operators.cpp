// Screens of the operations module: the dashboard, block pages, operators, milestones and settings (issue 15).
#include "web/handlers/operations/common.h"

namespace kakehashi::web {

void register_operations_routes(Application&) {}

}  // namespace kakehashi::web
