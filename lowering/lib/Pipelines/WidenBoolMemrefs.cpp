//===- WidenBoolMemrefs.cpp - memref<...xi1> -> memref<...xi8> ------------===//
//
// The LLVM lowering of memref.load/store asserts on sub-byte element types,
// and numpy stores a bool in one byte: every i1 memref becomes an i8 memref
// of the same shape and layout.  Ops that only move memrefs around (views,
// casts, allocations, function arguments) are element-type agnostic and are
// retyped in place; loads and stores convert the scalar.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFWIDENBOOLMEMREFS
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;

namespace {

bool isBoolMemRef(Type t) {
  auto m = dyn_cast<MemRefType>(t);
  return m && m.getElementType().isInteger(1);
}

/// `t` with i8 elements when it is an i1 memref, else `t`.
Type widen(Type t) {
  if (!isBoolMemRef(t))
    return t;
  auto m = cast<MemRefType>(t);
  return MemRefType::get(m.getShape(), IntegerType::get(t.getContext(), 8),
                         m.getLayout(), m.getMemorySpace());
}

/// The initial value of an i1 memref.global as i8 elements (0 or 1).
FailureOr<Attribute> widenInitialValue(Attribute value, MemRefType type) {
  auto tensorType = RankedTensorType::get(
      type.getShape(), IntegerType::get(type.getContext(), 8));
  if (auto dense = dyn_cast<DenseIntElementsAttr>(value)) {
    SmallVector<APInt> bytes;
    for (bool b : dense.getValues<bool>())
      bytes.push_back(APInt(8, b ? 1 : 0));
    return Attribute(DenseElementsAttr::get(tensorType, bytes));
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    // Bool blobs hold one byte per element.
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob ||
        static_cast<int64_t>(blob->getData().size()) != type.getNumElements())
      return failure();
    SmallVector<APInt> bytes;
    for (char c : blob->getData())
      bytes.push_back(APInt(8, c != 0 ? 1 : 0));
    return Attribute(DenseElementsAttr::get(tensorType, bytes));
  }
  return failure();
}

/// Ops that may carry an i1 memref without reading or writing its elements
/// (besides memref.load/store, converted explicitly).
bool isAgnostic(Operation *op) {
  if (isa<memref::AtomicRMWOp, memref::GenericAtomicRMWOp>(op))
    return false;
  return isa<memref::MemRefDialect, func::FuncDialect, scf::SCFDialect,
             cf::ControlFlowDialect>(op->getDialect());
}

struct WidenBoolMemrefsPass
    : public dnnf::impl::DnnfWidenBoolMemrefsBase<WidenBoolMemrefsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    Type i8 = IntegerType::get(ctx, 8);

    // Check the uses first: nothing is changed when the IR cannot be
    // widened.
    SmallVector<memref::LoadOp> loads;
    SmallVector<memref::StoreOp> stores;
    WalkResult checked = module.walk([&](Operation *op) -> WalkResult {
      bool touches = llvm::any_of(op->getOperandTypes(), isBoolMemRef) ||
                     llvm::any_of(op->getResultTypes(), isBoolMemRef);
      if (!touches)
        return WalkResult::advance();
      if (auto load = dyn_cast<memref::LoadOp>(op)) {
        loads.push_back(load);
        return WalkResult::advance();
      }
      if (auto store = dyn_cast<memref::StoreOp>(op)) {
        stores.push_back(store);
        return WalkResult::advance();
      }
      if (!isAgnostic(op)) {
        op->emitOpError("uses an i1 memref, which cannot be widened to i8 "
                        "(only memref loads, stores, views, allocations and "
                        "control flow can)");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (checked.wasInterrupted())
      return signalPassFailure();

    // Globals: type and initial value.
    bool failedGlobal = false;
    module.walk([&](memref::GlobalOp global) {
      MemRefType type = global.getType();
      if (!isBoolMemRef(type))
        return;
      if (std::optional<Attribute> init = global.getInitialValue();
          init && !isa<UnitAttr>(*init)) {
        FailureOr<Attribute> widened = widenInitialValue(*init, type);
        if (failed(widened)) {
          global.emitOpError("has an i1 initial value that cannot be widened");
          failedGlobal = true;
          return;
        }
        global.setInitialValueAttr(*widened);
      }
      global.setTypeAttr(TypeAttr::get(widen(type)));
      ++numWidened;
    });
    if (failedGlobal)
      return signalPassFailure();

    // Every value: op results and block arguments.
    module.walk([&](Operation *op) {
      for (OpResult r : op->getResults())
        if (isBoolMemRef(r.getType())) {
          r.setType(widen(r.getType()));
          ++numWidened;
        }
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            if (isBoolMemRef(arg.getType())) {
              arg.setType(widen(arg.getType()));
              ++numWidened;
            }
    });
    module.walk([&](func::FuncOp func) {
      FunctionType type = func.getFunctionType();
      SmallVector<Type> inputs = llvm::map_to_vector(type.getInputs(), widen);
      SmallVector<Type> results = llvm::map_to_vector(type.getResults(), widen);
      func.setFunctionType(FunctionType::get(ctx, inputs, results));
    });

    // Scalars: loads read a byte, stores write one.
    for (memref::LoadOp load : loads) {
      if (!load.getType().isInteger(1))
        continue;
      OpBuilder b(load);
      b.setInsertionPointAfter(load);
      load.getResult().setType(i8);
      auto bit = arith::TruncIOp::create(b, load.getLoc(), b.getI1Type(),
                                         load.getResult());
      load.getResult().replaceAllUsesExcept(bit.getResult(), bit);
    }
    for (memref::StoreOp store : stores) {
      if (!store.getValueToStore().getType().isInteger(1))
        continue;
      OpBuilder b(store);
      Value byte = arith::ExtUIOp::create(b, store.getLoc(), i8,
                                          store.getValueToStore());
      store.getValueMutable().assign(byte);
    }
  }
};
} // namespace
