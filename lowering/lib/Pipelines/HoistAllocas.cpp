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
  using Base::Base;

  /// In a task body, a heap buffer of static shape, at most maxTileBytes,
  /// that is freed in the block that allocates it (a matmul tile's
  /// temporary) becomes an alloca: no malloc and free per task.
  void promoteTileBuffers(func::FuncOp func) {
    SmallVector<std::pair<memref::AllocOp, memref::DeallocOp>> buffers;
    func.walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !type.getElementType().isIntOrFloat() ||
          type.getNumElements() * type.getElementTypeBitWidth() / 8 >
              maxTileBytes)
        return;
      memref::DeallocOp dealloc;
      for (Operation *user : alloc->getUsers())
        if (auto d = dyn_cast<memref::DeallocOp>(user)) {
          if (dealloc || d->getBlock() != alloc->getBlock())
            return;
          dealloc = d;
        }
      if (dealloc)
        buffers.push_back({alloc, dealloc});
    });
    for (auto [alloc, dealloc] : buffers) {
      OpBuilder b(alloc);
      auto alloca = memref::AllocaOp::create(b, alloc.getLoc(), alloc.getType(),
                                             alloc.getAlignmentAttr());
      alloc.replaceAllUsesWith(alloca.getResult());
      alloc.erase();
      dealloc.erase();
      ++numPromoted;
    }
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &entry = func.getBody().front();
    if (func->hasAttr("dnnf.parallel_body"))
      promoteTileBuffers(func);
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
