//===- UnaliasResults.cpp - one buffer per function result ----------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFUNALIASRESULTS
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;

namespace {
struct UnaliasResultsPass
    : public dnnf::impl::DnnfUnaliasResultsBase<UnaliasResultsPass> {
  void runOnOperation() override {
    getOperation().walk([&](func::ReturnOp ret) {
      llvm::SmallPtrSet<Value, 4> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        auto type = dyn_cast<MemRefType>(v.getType());
        if (seen.insert(v).second || !type || !type.hasStaticShape())
          continue;
        // A fresh identity-layout buffer holding a copy.
        auto copyType =
            MemRefType::get(type.getShape(), type.getElementType(),
                            MemRefLayoutAttrInterface(), type.getMemorySpace());
        if (copyType != type)
          continue; // the result type fixes a layout: leave it alone
        Value copy = memref::AllocOp::create(b, ret.getLoc(), copyType);
        memref::CopyOp::create(b, ret.getLoc(), v, copy);
        operand.set(copy);
        ++numCopies;
      }
    });
  }
};
} // namespace
