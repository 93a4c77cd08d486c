// `nightout program` and a plan's [program]: the options declared once (see options/schema.hpp).
#pragma once

#include "options/schema.hpp"

namespace nightout {
struct ProgramJob;
namespace options {
const Schema<ProgramJob>& program_schema();
}
}  // namespace nightout
