//===- LowerMemrefCopy.cpp - memref.copy -> linalg.copy -------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFLOWERMEMREFCOPY
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;

namespace {
struct LowerMemrefCopyPass
    : public dnnf::impl::DnnfLowerMemrefCopyBase<LowerMemrefCopyPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp op) { copies.push_back(op); });
    for (memref::CopyOp op : copies) {
      OpBuilder b(op);
      linalg::CopyOp::create(b, op.getLoc(), op.getSource(), op.getTarget());
      op.erase();
      ++numCopies;
    }
  }
};
} // namespace
