//===- GpuTileMatmuls.cpp - shared-memory tiled matmul kernels ------------===//
//
// Bufferized (batch_)matmuls as gpu.launch ops: one workgroup per
// tile x tile block of C, the K loop staged through workgroup memory.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVAttributes.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFGPUTILEMATMULS
#include "dnnf/Conversion/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;

namespace {

/// A matmul the pass handles: buffers of static, non-empty shape, default
/// maps, 16- or 32-bit floats.
bool isTileable(linalg::LinalgOp op) {
  if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) ||
      !op.hasPureBufferSemantics())
    return false;
  if (auto mm = dyn_cast<linalg::MatmulOp>(op.getOperation());
      mm && mm.hasUserDefinedMaps())
    return false;
  if (auto bmm = dyn_cast<linalg::BatchMatmulOp>(op.getOperation());
      bmm && bmm.hasUserDefinedMaps())
    return false;
  if (!llvm::all_of(op->getOperandTypes(), [](Type t) {
        auto type = dyn_cast<MemRefType>(t);
        Type e = type ? type.getElementType() : Type();
        return type && type.hasStaticShape() && (e.isF32() || e.isF16());
      }))
    return false;
  // Empty products (a dimension of 0) are left to the loops, which do
  // nothing; a launch would have an empty grid.
  return llvm::all_of(op.getStaticLoopRanges(),
                      [](int64_t r) { return r > 0; });
}

/// The buffer an expand/collapse_shape chain starts from: the same
/// elements in the same order.
Value rootBuffer(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

/// The buffer any chain of views (subviews too) starts from: what may
/// alias.
Value baseBuffer(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

/// What the launch computes besides C += A * B: the constant C was filled
/// with just before (the sums start from it instead of loading C), and an
/// elementwise generic reading C right after (computed on the sums in
/// registers and stored to its output, instead of its own kernel
/// re-reading C).
struct Epilogue {
  linalg::FillOp fill;       // null: none; else its scalar starts the sums
  linalg::GenericOp generic; // null: none
  OpOperand *view = nullptr; // the generic's input reading C
  // Per dimension of C, the group of the view's dimensions it covers.
  SmallVector<ReassociationIndices> groups;
  bool storeC = true;   // C is read after the launch
  bool inPlace = false; // the generic writes C's elements
};

/// Per dimension of C, in order, the group of the view's dimensions it
/// covers: the view is C, an expand_shape of C, or the buffer C collapses.
std::optional<SmallVector<ReassociationIndices>> viewGroups(Value view,
                                                            Value c) {
  int64_t rank = cast<MemRefType>(c.getType()).getRank();
  if (view == c) {
    SmallVector<ReassociationIndices> groups;
    for (int64_t d = 0; d < rank; ++d)
      groups.push_back({d});
    return groups;
  }
  // C a collapse_shape of the buffer the generic reads.
  if (auto collapse = c.getDefiningOp<memref::CollapseShapeOp>();
      collapse && collapse.getSrc() == view)
    return collapse.getReassociationIndices();
  auto expand = view.getDefiningOp<memref::ExpandShapeOp>();
  if (!expand || expand.getSrc() != c)
    return std::nullopt;
  return expand.getReassociationIndices();
}

/// The fill initialising C right before `op` and the elementwise generic
/// that reads C right after it, when they can be computed in the launch.
Epilogue findEpilogue(linalg::LinalgOp op) {
  Epilogue e;
  Value c = op.getDpsInits()[0];
  Value root = rootBuffer(c);
  if (!root.getDefiningOp<memref::AllocOp>())
    return e;
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(op->getPrevNode());
      fill && fill.hasPureBufferSemantics() && fill.getDpsInits()[0] == c &&
      fill.getInputs()[0].getDefiningOp<arith::ConstantOp>())
    e.fill = fill;
  // The next op touching memory must be the generic: views of C and
  // allocations (its output) may come in between.
  Operation *next = op->getNextNode();
  while (next && isa<memref::ExpandShapeOp, memref::CollapseShapeOp,
                     memref::AllocOp, arith::ConstantOp>(next))
    next = next->getNextNode();
  auto generic = dyn_cast_or_null<linalg::GenericOp>(next);
  if (!generic || !generic.hasPureBufferSemantics() ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return e;
  OpOperand *out = generic.getDpsInitOperand(0);
  Value outRoot = rootBuffer(out->get()), outBase = baseBuffer(out->get());
  if (!generic.getMatchingIndexingMap(out).isIdentity())
    return e;
  // Writing C's buffer is fine only in place, element for element.
  if (outBase == root && outRoot != root)
    return e;
  OpOperand *view = nullptr;
  for (OpOperand *in : generic.getDpsInputOperands()) {
    if (!isa<MemRefType>(in->get().getType()))
      continue;
    bool identity = generic.getMatchingIndexingMap(in).isIdentity();
    Value inBase = baseBuffer(in->get());
    if (inBase == root) {
      // C is read once, element for element.
      if (view || !identity || rootBuffer(in->get()) != root)
        return e;
      view = in;
      continue;
    }
    // Another input the generic overwrites must be read element for
    // element, or one workgroup would read what another already wrote.
    if (inBase == outBase && (!identity || rootBuffer(in->get()) != outRoot))
      return e;
  }
  // Nor may it write what the launch still reads.
  for (Value operand : op.getDpsInputs())
    if (baseBuffer(operand) == outBase)
      return e;
  if (!view)
    return e;
  std::optional<SmallVector<ReassociationIndices>> groups =
      viewGroups(view->get(), c);
  auto viewType = cast<MemRefType>(view->get().getType());
  if (!groups || !viewType.hasStaticShape() ||
      viewType.getElementType() !=
          cast<MemRefType>(c.getType()).getElementType())
    return e;
  e.generic = generic;
  e.view = view;
  e.groups = std::move(*groups);
  // C must still be stored when the generic writes elsewhere and something
  // after it reads C.
  e.storeC = false;
  e.inPlace = outRoot == root;
  if (!e.inPlace) {
    SmallVector<Value> views{root};
    for (size_t k = 0; k < views.size(); ++k)
      for (Operation *user : views[k].getUsers()) {
        if (user == op.getOperation() || user == generic.getOperation() ||
            (e.fill && user == e.fill.getOperation()) ||
            isa<memref::DeallocOp>(user))
          continue;
        if (auto viewOp = dyn_cast<ViewLikeOpInterface>(user);
            viewOp && viewOp.getViewSource() == views[k]) {
          views.push_back(user->getResult(0));
          continue;
        }
        e.storeC = true;
      }
  }
  return e;
}

struct GpuTileMatmulsPass
    : public dnnf::impl::DnnfGpuTileMatmulsBase<GpuTileMatmulsPass> {
  using Base::Base;

  void rewrite(RewriterBase &rewriter, linalg::LinalgOp op) {
    bool batched = isa<linalg::BatchMatmulOp>(op.getOperation());
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1],
          c = op.getDpsInits()[0];
    Type cElement = cast<MemRefType>(c.getType()).getElementType();
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t batch = batched ? ranges[0] : 1;
    int64_t m = ranges[batched], n = ranges[batched + 1],
            k = ranges[batched + 2];
    // Invocations per workgroup edge; each computes r x r outputs.
    int64_t r = threadTile, edge = tile / threadTile, threads = edge * edge;
    Location loc = op.getLoc();
    Epilogue epilogue = fuseEpilogues ? findEpilogue(op) : Epilogue();
    // With an epilogue the launch takes the generic's place: its other
    // inputs may be views defined after the matmul, and nothing in between
    // touches memory.
    rewriter.setInsertionPoint(
        epilogue.generic ? epilogue.generic.getOperation() : op.getOperation());
    auto idx = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    Type f32 = rewriter.getF32Type();
    auto workgroup = spirv::StorageClassAttr::get(
        rewriter.getContext(), spirv::StorageClass::Workgroup);
    auto sharedA = MemRefType::get({tile, kTile}, f32, AffineMap(), workgroup);
    auto sharedB = MemRefType::get({kTile, tile}, f32, AffineMap(), workgroup);
    auto launch =
        gpu::LaunchOp::create(rewriter, loc, idx(llvm::divideCeil(n, tile)),
                              idx(llvm::divideCeil(m, tile)), idx(batch),
                              idx(edge), idx(edge), idx(1));
    Block &body = launch.getBody().front();
    rewriter.setInsertionPointToStart(&body);
    // Workgroup buffers as allocations in the Workgroup storage class
    // (spirv.GlobalVariable once converted; convert-gpu-to-spirv does not
    // take gpu.func workgroup attributions).
    Value sA = memref::AllocOp::create(rewriter, loc, sharedA);
    Value sB = memref::AllocOp::create(rewriter, loc, sharedB);
    auto add = [&](Value x, Value y) -> Value {
      return arith::AddIOp::create(rewriter, loc, x, y);
    };
    auto mul = [&](Value x, int64_t y) -> Value {
      return arith::MulIOp::create(rewriter, loc, x, idx(y));
    };
    auto lt = [&](Value x, int64_t bound) -> Value {
      return arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ult, x,
                                   idx(bound));
    };
    Value tx = launch.getThreadIds().x, ty = launch.getThreadIds().y;
    Value tid = add(mul(ty, edge), tx);
    Value row0 = mul(launch.getBlockIds().y, tile);
    Value col0 = mul(launch.getBlockIds().x, tile);
    Value bz = launch.getBlockIds().z;
    auto at = [&](Value i, Value j) {
      SmallVector<Value> v;
      if (batched)
        v.push_back(bz);
      v.append({i, j});
      return v;
    };
    // matrix[i, j] as f32 when `inBounds`, else 0.
    auto guardedLoad = [&](Value matrix, Value i, Value j, Value inBounds) {
      auto ifOp = scf::IfOp::create(
          rewriter, loc, inBounds,
          [&](OpBuilder &bb, Location l) {
            Value v = memref::LoadOp::create(bb, l, matrix, at(i, j));
            if (v.getType() != f32)
              v = arith::ExtFOp::create(bb, l, f32, v);
            scf::YieldOp::create(bb, l, v);
          },
          [&](OpBuilder &bb, Location l) {
            scf::YieldOp::create(
                bb, l,
                Value(arith::ConstantOp::create(bb, l, bb.getF32FloatAttr(0))));
          });
      return ifOp.getResult(0);
    };
    // The workgroup's invocations copy a rows x cols block of `matrix` at
    // (i0, j0) into `shared`, each element by one invocation.
    auto stage = [&](Value matrix, Value shared, Value i0, Value j0,
                     int64_t rows, int64_t cols, int64_t rowBound,
                     int64_t colBound) {
      for (int64_t e = 0; e * threads < rows * cols; ++e) {
        Value linear = add(tid, idx(e * threads));
        Value i = arith::DivUIOp::create(rewriter, loc, linear, idx(cols));
        Value j = arith::RemUIOp::create(rewriter, loc, linear, idx(cols));
        Value gi = add(i0, i), gj = add(j0, j);
        Value in = arith::AndIOp::create(rewriter, loc, lt(gi, rowBound),
                                         lt(gj, colBound));
        auto store = [&](OpBuilder &bb, Location l) {
          memref::StoreOp::create(bb, l, guardedLoad(matrix, gi, gj, in),
                                  shared, ValueRange{i, j});
        };
        if ((e + 1) * threads <= rows * cols) {
          store(rewriter, loc);
          continue;
        }
        scf::IfOp::create(rewriter, loc, lt(linear, rows * cols),
                          [&](OpBuilder &bb, Location l) {
                            store(bb, l);
                            scf::YieldOp::create(bb, l);
                          });
      }
    };
    Value zero =
        arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));
    SmallVector<Value> inits(r * r, zero);
    auto kLoop = scf::ForOp::create(
        rewriter, loc, idx(0), idx(k), idx(kTile), inits,
        [&](OpBuilder &, Location, Value k0, ValueRange acc) {
          stage(a, sA, row0, k0, tile, kTile, m, k);
          stage(b, sB, k0, col0, kTile, tile, k, n);
          gpu::BarrierOp::create(rewriter, loc);
          auto inner = scf::ForOp::create(
              rewriter, loc, idx(0), idx(kTile), idx(1), acc,
              [&](OpBuilder &, Location, Value kk, ValueRange sums) {
                SmallVector<Value> x, y, next;
                for (int64_t i = 0; i < r; ++i)
                  x.push_back(memref::LoadOp::create(
                      rewriter, loc, sA,
                      ValueRange{add(mul(ty, r), idx(i)), kk}));
                for (int64_t j = 0; j < r; ++j)
                  y.push_back(memref::LoadOp::create(
                      rewriter, loc, sB,
                      ValueRange{kk, add(mul(tx, r), idx(j))}));
                for (int64_t i = 0; i < r; ++i)
                  for (int64_t j = 0; j < r; ++j)
                    next.push_back(arith::AddFOp::create(
                        rewriter, loc, sums[i * r + j],
                        arith::MulFOp::create(rewriter, loc, x[i], y[j])));
                scf::YieldOp::create(rewriter, loc, next);
              });
          gpu::BarrierOp::create(rewriter, loc);
          scf::YieldOp::create(rewriter, loc, inner.getResults());
        });
    // C[i, j] += the invocation's sums, inside the matrix (from the fill's
    // constant instead of C when C was just filled), then the epilogue.
    for (int64_t i = 0; i < r; ++i)
      for (int64_t j = 0; j < r; ++j) {
        Value gi = add(row0, add(mul(ty, r), idx(i)));
        Value gj = add(col0, add(mul(tx, r), idx(j)));
        Value in = arith::AndIOp::create(rewriter, loc, lt(gi, m), lt(gj, n));
        Value sum = kLoop.getResult(i * r + j);
        scf::IfOp::create(rewriter, loc, in, [&](OpBuilder &bb, Location l) {
          Value old = epilogue.fill
                          ? epilogue.fill.getInputs()[0]
                          : memref::LoadOp::create(bb, l, c, at(gi, gj));
          if (old.getType() != f32)
            old = arith::ExtFOp::create(bb, l, f32, old);
          Value total = arith::AddFOp::create(bb, l, old, sum);
          if (cElement != f32)
            total = arith::TruncFOp::create(bb, l, cElement, total);
          if (!epilogue.generic || epilogue.storeC)
            memref::StoreOp::create(bb, l, total, c, at(gi, gj));
          if (epilogue.generic)
            emitEpilogue(bb, l, epilogue, at(gi, gj), total);
          scf::YieldOp::create(bb, l);
        });
      }
    gpu::TerminatorOp::create(rewriter, loc);
    if (epilogue.generic) {
      rewriter.eraseOp(epilogue.generic);
      ++numEpilogues;
    }
    if (epilogue.fill)
      rewriter.eraseOp(epilogue.fill);
    rewriter.eraseOp(op);
  }

  /// The generic's payload for the element of C at `cIndex` whose value is
  /// `value`: its loop indices from C's through the view's groups, its
  /// other inputs loaded through their maps, its result stored.
  static void emitEpilogue(OpBuilder &b, Location loc, const Epilogue &e,
                           ArrayRef<Value> cIndex, Value value) {
    linalg::GenericOp generic = e.generic;
    auto viewType = cast<MemRefType>(e.view->get().getType());
    SmallVector<Value> loops(viewType.getRank());
    for (auto [k, group] : llvm::enumerate(e.groups)) {
      // Delinearized from the last dimension; the dimensions before the
      // last one of size > 1 are 0.
      Value rest = cIndex[k];
      int64_t g = group.size() - 1;
      auto leading = [&](int64_t upTo) {
        int64_t product = 1;
        for (int64_t h = 0; h < upTo; ++h)
          product *= viewType.getDimSize(group[h]);
        return product;
      };
      for (; g > 0 && leading(g) > 1; --g) {
        Value size = arith::ConstantIndexOp::create(
            b, loc, viewType.getDimSize(group[g]));
        loops[group[g]] = arith::RemUIOp::create(b, loc, rest, size);
        rest = arith::DivUIOp::create(b, loc, rest, size);
      }
      loops[group[g]] = rest;
      for (int64_t h = 0; h < g; ++h)
        loops[group[h]] = arith::ConstantIndexOp::create(b, loc, 0);
    }
    auto indices = [&](AffineMap map) {
      SmallVector<Value> result;
      for (AffineExpr expr : map.getResults()) {
        if (auto dim = dyn_cast<AffineDimExpr>(expr))
          result.push_back(loops[dim.getPosition()]);
        else
          result.push_back(affine::AffineApplyOp::create(
              b, loc, AffineMap::get(map.getNumDims(), 0, expr), loops));
      }
      return result;
    };
    IRMapping mapping;
    Block &body = generic.getRegion().front();
    for (OpOperand &operand : generic->getOpOperands()) {
      BlockArgument arg = body.getArgument(operand.getOperandNumber());
      // In place, the output's element is C's: the value, not yet stored.
      if (&operand == e.view || (e.inPlace && generic.isDpsInit(&operand))) {
        mapping.map(arg, value);
      } else if (!isa<MemRefType>(operand.get().getType())) {
        mapping.map(arg, operand.get());
      } else if (!arg.use_empty()) {
        mapping.map(arg,
                    memref::LoadOp::create(
                        b, loc, operand.get(),
                        indices(generic.getMatchingIndexingMap(&operand))));
      }
    }
    for (Operation &inner : body.without_terminator()) {
      if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
        mapping.map(index.getResult(), loops[index.getDim()]);
        continue;
      }
      b.clone(inner, mapping);
    }
    Value result = mapping.lookupOrDefault(body.getTerminator()->getOperand(0));
    memref::StoreOp::create(b, loc, result, generic.getDpsInits()[0], loops);
  }

  void runOnOperation() override {
    if (tile < 1 || threadTile < 1 || kTile < 1 || tile % threadTile != 0 ||
        (tile / threadTile) * (tile / threadTile) > 1024) {
      int64_t t = tile, r = threadTile, k = kTile;
      emitError(getOperation().getLoc())
          << "tile " << t << ", thread-tile " << r << ", k-tile " << k
          << ": all must be positive, thread-tile must divide tile, and "
             "(tile / thread-tile)^2 invocations per workgroup be at most 1024";
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> matmuls;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isTileable(op))
        matmuls.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : matmuls) {
      rewrite(rewriter, op);
      ++numTiled;
    }
  }
};
} // namespace
