// The call's solvers (R2.5–R2.7) in one include: selection, reviewer assignment, results.
#pragma once

#include "call/engine/assignment.h"
#include "call/engine/results.h"
#include "call/engine/selection.h"
