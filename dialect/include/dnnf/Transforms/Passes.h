//===- Passes.h - dnnf passes -----------------------------------*- C++ -*-===//

#ifndef DNNF_TRANSFORMS_PASSES_H
#define DNNF_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace dnnf {

#define GEN_PASS_DECL
#include "dnnf/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dnnf/Transforms/Passes.h.inc"

} // namespace dnnf
} // namespace mlir

#endif // DNNF_TRANSFORMS_PASSES_H
