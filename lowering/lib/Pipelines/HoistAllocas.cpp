//===- HoistAllocas.cpp - static allocas to the function entry ------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFHOISTALLOCAS
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;

namespace {
struct HoistAllocasPass
    : public dnnf::impl::DnnfHoistAllocasBase<HoistAllocasPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &entry = func.getBody().front();
    SmallVector<memref::AllocaOp> allocas;
    func.walk([&](memref::AllocaOp op) {
      if (op->getBlock() != &entry && op.getType().hasStaticShape() &&
          op->getNumOperands() == 0 &&
          !op->getParentOfType<memref::AllocaScopeOp>() &&
          op->getParentOfType<func::FuncOp>() == func)
        allocas.push_back(op);
    });
    for (memref::AllocaOp op : allocas) {
      op->moveBefore(&entry, entry.begin());
      ++numHoisted;
    }
  }
};
} // namespace
