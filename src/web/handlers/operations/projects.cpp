// Screens of the operations module: projects, sessions and activity imports (issue 15).
#include "web/handlers/operations/common.h"

namespace kakehashi::web {

void register_operations_project_routes(Application&) {}

}  // namespace kakehashi::web
