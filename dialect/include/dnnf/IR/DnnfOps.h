//===- DnnfOps.h - dnnf operations ------------------------------*- C++ -*-===//

#ifndef DNNF_IR_DNNFOPS_H
#define DNNF_IR_DNNFOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dnnf/IR/DnnfDialect.h"

#include "dnnf/IR/DnnfEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dnnf/IR/DnnfAttrs.h.inc"

namespace mlir {
namespace dnnf {
namespace detail {
/// Rejects a null required-or-defaulted inherent attribute.
LogicalResult verifyInherentAttrsWellFormed(Operation *op);

/// Verifies a stored `mapping` attribute against the computed mapping type.
LogicalResult verifyMappingOpInterface(Operation *op);

/// `one_to_one` when every operand has the shape of result 0, else
/// `one_to_many` (an operand broadcasts).
MappingType elementwiseMappingType(Operation *op);

/// Numpy/ONNX multidirectional broadcast of `shapes`; failure if they are
/// incompatible.
LogicalResult broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes,
                              SmallVectorImpl<int64_t> &result);

// Result-type inference helpers shared by several ops (ShapeInference.cpp).
// Each emits a diagnostic at `loc` when it is present and fails on bad input;
// none of them asserts.
LogicalResult inferBroadcastTypes(MLIRContext *ctx, std::optional<Location> loc,
                                  ValueRange operands,
                                  SmallVectorImpl<Type> &results);
LogicalResult inferCompareTypes(MLIRContext *ctx, std::optional<Location> loc,
                                ValueRange operands,
                                SmallVectorImpl<Type> &results);
LogicalResult inferWhereTypes(MLIRContext *ctx, std::optional<Location> loc,
                              ValueRange operands,
                              SmallVectorImpl<Type> &results);
LogicalResult inferMatMulTypes(MLIRContext *ctx, std::optional<Location> loc,
                               ValueRange operands,
                               SmallVectorImpl<Type> &results);
LogicalResult inferGlobalPoolTypes(MLIRContext *ctx,
                                   std::optional<Location> loc,
                                   ValueRange operands,
                                   SmallVectorImpl<Type> &results);
LogicalResult inferReduceTypes(std::optional<Location> loc, Value input,
                               ArrayRef<int64_t> axes, bool keepdims,
                               SmallVectorImpl<Type> &results);
LogicalResult inferArgReduceTypes(std::optional<Location> loc, Value input,
                                  int64_t axis, bool keepdims,
                                  SmallVectorImpl<Type> &results);
LogicalResult inferFlattenTypes(std::optional<Location> loc, Value input,
                                int64_t axis, SmallVectorImpl<Type> &results);
LogicalResult inferSqueezeTypes(std::optional<Location> loc, Value input,
                                ArrayRef<int64_t> axes,
                                SmallVectorImpl<Type> &results);
LogicalResult inferUnsqueezeTypes(std::optional<Location> loc, Value input,
                                  ArrayRef<int64_t> axes,
                                  SmallVectorImpl<Type> &results);
LogicalResult inferTransposeTypes(std::optional<Location> loc, Value input,
                                  ArrayRef<int64_t> perm,
                                  SmallVectorImpl<Type> &results);
LogicalResult inferTileTypes(std::optional<Location> loc, Value input,
                             ArrayRef<int64_t> repeats,
                             SmallVectorImpl<Type> &results);
LogicalResult inferPadTypes(std::optional<Location> loc, Value input,
                            ArrayRef<int64_t> pads,
                            SmallVectorImpl<Type> &results);
LogicalResult inferConcatTypes(std::optional<Location> loc, ValueRange inputs,
                               int64_t axis, SmallVectorImpl<Type> &results);
} // namespace detail
} // namespace dnnf
} // namespace mlir

#include "dnnf/IR/DnnfInterfaces.h.inc"

namespace mlir {
namespace dnnf {
/// Verifies, before any other trait or interface (type inference reads the
/// attributes), that no required or defaulted inherent attribute is null.
template <typename ConcreteType>
class InherentAttrsWellFormed
    : public OpTrait::TraitBase<ConcreteType, InherentAttrsWellFormed> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return detail::verifyInherentAttrsWellFormed(op);
  }
};
} // namespace dnnf
} // namespace mlir

#define GET_OP_CLASSES
#include "dnnf/IR/DnnfOps.h.inc"

#endif // DNNF_IR_DNNFOPS_H
