//===- DnnfOps.td - dnnf operations ------------------------*- tablegen -*-===//
//
// One operation per ONNX operator semantics.  Shapes are ranked (and static
// after import); broadcasting follows numpy/ONNX multidirectional rules.
//
//===----------------------------------------------------------------------===//

#ifndef DNNF_OPS_TD
#define DNNF_OPS_TD

include "dnnf/IR/DnnfBase.td"
include "dnnf/IR/DnnfInterfaces.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Dnnf_Tensor : RankedTensorOf<[AnyFloat, AnyInteger]>;
def Dnnf_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Dnnf_IntTensor : RankedTensorOf<[AnyInteger]>;
def Dnnf_BoolTensor : RankedTensorOf<[I1]>;
def Dnnf_SignedTensor : RankedTensorOf<[AnyFloat, AnySignlessInteger, AnySignedInteger]>;
def Dnnf_IndexTensor : RankedTensorOf<[I32, I64, SI32, SI64]>;
def Dnnf_I64Tensor : RankedTensorOf<[I64]>;

//===----------------------------------------------------------------------===//
// Base classes
//===----------------------------------------------------------------------===//

// Verified first: generated getters dereference defaulted attributes.
def Dnnf_InherentAttrsWellFormed
    : NativeOpTrait<"InherentAttrsWellFormed"> {
  let cppNamespace = "::mlir::dnnf";
}

class Dnnf_Op<string mnemonic, list<Trait> traits = []>
    : Op<Dnnf_Dialect, mnemonic,
         !listconcat([Dnnf_InherentAttrsWellFormed], traits)>;

// Mapping-type bodies shared by many ops.
defvar kO2O = "return ::mlir::dnnf::MappingType::OneToOne;";
defvar kO2M = "return ::mlir::dnnf::MappingType::OneToMany;";
defvar kM2M = "return ::mlir::dnnf::MappingType::ManyToMany;";
defvar kRO = "return ::mlir::dnnf::MappingType::Reorganize;";
defvar kSH = "return ::mlir::dnnf::MappingType::Shuffle;";
// One-to-one when every operand has the result's shape, one-to-many when one
// of them broadcasts.
defvar kElementwise =
  "return ::mlir::dnnf::detail::elementwiseMappingType(getOperation());";

// A compute op: pure, implements MappingOpInterface with `mappingBody`, and
// takes the optional stored `mapping` attribute after its own arguments.
class Dnnf_ComputeOp<string mnemonic, string mappingBody, dag args, dag res,
                     list<Trait> traits = [], code extraDefs = "">
    : Dnnf_Op<mnemonic, !listconcat(
          [Pure, DeclareOpInterfaceMethods<Dnnf_MappingOpInterface>], traits)> {
  let arguments = !con(args, (ins OptionalAttr<Dnnf_MappingAttr>:$mapping));
  let results = res;
  let extraClassDefinition =
      "::mlir::dnnf::MappingType $cppClass::computeMappingType() {\n  "
      # mappingBody # "\n}\n" # extraDefs;
}

// Result types inferred by a C++ helper `::mlir::dnnf::detail::<fn>`.
class Dnnf_InferBody<string fn> {
  code body = [{
::llvm::LogicalResult $cppClass::inferReturnTypes(
    ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
    Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
  return ::mlir::dnnf::detail::}] # fn # [{(context, location, adaptor.getOperands(),
                                      inferredReturnTypes);
}
}];
}

//===----------------------------------------------------------------------===//
// Constants and weights
//===----------------------------------------------------------------------===//

def Dnnf_ConstantOp : Dnnf_Op<"constant",
    [ConstantLike, Pure, AllTypesMatch<["value", "output"]>]> {
  let summary = "Constant tensor or weight";
  let description = [{
    Materialises a constant tensor (ONNX `Constant` and graph initializers).

    Small constants use `dense<...>`.  Weights use `dense_resource<name>`:
    the bytes live once in the module's `dialect_resources` section (raw
    blobs in bytecode), so they never bloat the operations that use them.

    ```mlir
    %w = dnnf.constant dense_resource<conv1_w> : tensor<64x3x7x7xf32>
    %b = dnnf.constant dense<0.0> : tensor<64xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Dnnf_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Unary elementwise operations (one_to_one)
//===----------------------------------------------------------------------===//

class Dnnf_UnaryOp<string mnemonic, Type T, string formula, dag attrs = (ins),
                   list<Trait> traits = []>
    : Dnnf_ComputeOp<mnemonic, kO2O, !con((ins T:$input), attrs), (outs T:$output),
                     !listconcat([SameOperandsAndResultType], traits)> {
  let summary = "Elementwise " # mnemonic;
  let description = "Computes `" # formula # "` for every element (ONNX "
      # "semantics). Mapping type: `one_to_one`.";
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

def Dnnf_ReluOp : Dnnf_UnaryOp<"relu", Dnnf_SignedTensor, "y = max(x, 0)">;
def Dnnf_SigmoidOp : Dnnf_UnaryOp<"sigmoid", Dnnf_FloatTensor, "y = 1 / (1 + exp(-x))">;
def Dnnf_TanhOp : Dnnf_UnaryOp<"tanh", Dnnf_FloatTensor, "y = tanh(x)">;
def Dnnf_ExpOp : Dnnf_UnaryOp<"exp", Dnnf_FloatTensor, "y = exp(x)">;
def Dnnf_LogOp : Dnnf_UnaryOp<"log", Dnnf_FloatTensor, "y = log(x)">;
def Dnnf_SqrtOp : Dnnf_UnaryOp<"sqrt", Dnnf_FloatTensor, "y = sqrt(x)">;
def Dnnf_ReciprocalOp : Dnnf_UnaryOp<"reciprocal", Dnnf_FloatTensor, "y = 1 / x">;
def Dnnf_AbsOp : Dnnf_UnaryOp<"abs", Dnnf_Tensor, "y = |x|">;
def Dnnf_NegOp : Dnnf_UnaryOp<"neg", Dnnf_SignedTensor, "y = -x">;
def Dnnf_SignOp : Dnnf_UnaryOp<"sign", Dnnf_SignedTensor, "y = sign(x)">;
def Dnnf_ErfOp : Dnnf_UnaryOp<"erf", Dnnf_FloatTensor, "y = erf(x)">;
def Dnnf_CeilOp : Dnnf_UnaryOp<"ceil", Dnnf_FloatTensor, "y = ceil(x)">;
def Dnnf_FloorOp : Dnnf_UnaryOp<"floor", Dnnf_FloatTensor, "y = floor(x)">;
def Dnnf_RoundOp : Dnnf_UnaryOp<"round", Dnnf_FloatTensor,
    "y = round-half-to-even(x)">;
def Dnnf_SinOp : Dnnf_UnaryOp<"sin", Dnnf_FloatTensor, "y = sin(x)">;
def Dnnf_CosOp : Dnnf_UnaryOp<"cos", Dnnf_FloatTensor, "y = cos(x)">;
def Dnnf_SoftplusOp : Dnnf_UnaryOp<"softplus", Dnnf_FloatTensor, "y = log(1 + exp(x))">;
def Dnnf_SoftsignOp : Dnnf_UnaryOp<"softsign", Dnnf_FloatTensor, "y = x / (1 + |x|)">;
def Dnnf_HardSwishOp : Dnnf_UnaryOp<"hard_swish", Dnnf_FloatTensor,
    "y = x * max(0, min(1, x / 6 + 1 / 2))">;
def Dnnf_NotOp : Dnnf_UnaryOp<"not", Dnnf_BoolTensor, "y = !x">;

def Dnnf_LeakyReluOp : Dnnf_UnaryOp<"leaky_relu", Dnnf_FloatTensor,
    "y = x >= 0 ? x : alpha * x", (ins DefaultValuedAttr<F32Attr, "0.01">:$alpha)>;
def Dnnf_EluOp : Dnnf_UnaryOp<"elu", Dnnf_FloatTensor,
    "y = x >= 0 ? x : alpha * (exp(x) - 1)",
    (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def Dnnf_SeluOp : Dnnf_UnaryOp<"selu", Dnnf_FloatTensor,
    "y = gamma * (x > 0 ? x : alpha * (exp(x) - 1))",
    (ins DefaultValuedAttr<F32Attr, "1.67326319217681884765625">:$alpha,
         DefaultValuedAttr<F32Attr, "1.05070102214813232421875">:$gamma)>;
def Dnnf_HardSigmoidOp : Dnnf_UnaryOp<"hard_sigmoid", Dnnf_FloatTensor,
    "y = max(0, min(1, alpha * x + beta))",
    (ins DefaultValuedAttr<F32Attr, "0.2">:$alpha,
         DefaultValuedAttr<F32Attr, "0.5">:$beta)>;
def Dnnf_GeluOp : Dnnf_UnaryOp<"gelu", Dnnf_FloatTensor,
    "y = 0.5 * x * (1 + erf(x / sqrt(2))) (approximate = \"tanh\" uses the tanh form)",
    (ins DefaultValuedStrAttr<StrAttr, "none">:$approximate)> {
  let hasVerifier = 1;
}
def Dnnf_ClipOp : Dnnf_UnaryOp<"clip", Dnnf_SignedTensor,
    "y = min(max(x, min), max)",
    (ins OptionalAttr<F64Attr>:$min, OptionalAttr<F64Attr>:$max)> {
  let hasVerifier = 1;
}

def Dnnf_CastOp : Dnnf_ComputeOp<"cast", kO2O, (ins Dnnf_Tensor:$input),
    (outs Dnnf_Tensor:$output)> {
  let summary = "Elementwise element-type conversion";
  let description = [{
    ONNX `Cast`: converts every element to the result's element type
    (float->int truncates toward zero, int->bool is `x != 0`).  Operand and
    result shapes must match.  Mapping type: `one_to_one`.
  }];
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Binary and ternary elementwise operations with broadcasting
//===----------------------------------------------------------------------===//

class Dnnf_BinaryOp<string mnemonic, Type T, Type R, string formula,
                    string inferFn = "inferBroadcastTypes", dag attrs = (ins),
                    list<Trait> traits = []>
    : Dnnf_ComputeOp<mnemonic, kElementwise, !con((ins T:$lhs, T:$rhs), attrs),
                     (outs R:$output),
                     !listconcat([InferTypeOpAdaptor,
                                  AllElementTypesMatch<["lhs", "rhs"]>], traits),
                     Dnnf_InferBody<inferFn>.body> {
  let summary = "Elementwise " # mnemonic # " with broadcasting";
  let description = "Computes `" # formula # "` with ONNX multidirectional "
      # "(numpy) broadcasting.  Mapping type: `one_to_one` when both operands "
      # "have the result's shape, `one_to_many` when one broadcasts.";
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Dnnf_AddOp : Dnnf_BinaryOp<"add", Dnnf_Tensor, Dnnf_Tensor, "y = a + b",
    "inferBroadcastTypes", (ins), [Commutative]>;
def Dnnf_SubOp : Dnnf_BinaryOp<"sub", Dnnf_Tensor, Dnnf_Tensor, "y = a - b">;
def Dnnf_MulOp : Dnnf_BinaryOp<"mul", Dnnf_Tensor, Dnnf_Tensor, "y = a * b",
    "inferBroadcastTypes", (ins), [Commutative]>;
def Dnnf_DivOp : Dnnf_BinaryOp<"div", Dnnf_Tensor, Dnnf_Tensor,
    "y = a / b (integer division truncates)">;
def Dnnf_PowOp : Dnnf_BinaryOp<"pow", Dnnf_FloatTensor, Dnnf_FloatTensor, "y = a ^ b">;
def Dnnf_MaxOp : Dnnf_BinaryOp<"max", Dnnf_Tensor, Dnnf_Tensor, "y = max(a, b)",
    "inferBroadcastTypes", (ins), [Commutative]>;
def Dnnf_MinOp : Dnnf_BinaryOp<"min", Dnnf_Tensor, Dnnf_Tensor, "y = min(a, b)",
    "inferBroadcastTypes", (ins), [Commutative]>;
def Dnnf_ModOp : Dnnf_BinaryOp<"mod", Dnnf_Tensor, Dnnf_Tensor,
    "y = a mod b (sign of b; sign of a when fmod = 1)", "inferBroadcastTypes",
    (ins DefaultValuedAttr<I64Attr, "0">:$fmod)> {
  let hasVerifier = 1;
}
def Dnnf_EqualOp : Dnnf_BinaryOp<"equal", Dnnf_Tensor, Dnnf_BoolTensor, "y = a == b",
    "inferCompareTypes", (ins), [Commutative]>;
def Dnnf_GreaterOp : Dnnf_BinaryOp<"greater", Dnnf_Tensor, Dnnf_BoolTensor, "y = a > b",
    "inferCompareTypes">;
def Dnnf_GreaterOrEqualOp : Dnnf_BinaryOp<"greater_or_equal", Dnnf_Tensor,
    Dnnf_BoolTensor, "y = a >= b", "inferCompareTypes">;
def Dnnf_LessOp : Dnnf_BinaryOp<"less", Dnnf_Tensor, Dnnf_BoolTensor, "y = a < b",
    "inferCompareTypes">;
def Dnnf_LessOrEqualOp : Dnnf_BinaryOp<"less_or_equal", Dnnf_Tensor,
    Dnnf_BoolTensor, "y = a <= b", "inferCompareTypes">;
def Dnnf_AndOp : Dnnf_BinaryOp<"and", Dnnf_BoolTensor, Dnnf_BoolTensor, "y = a && b",
    "inferBroadcastTypes", (ins), [Commutative]>;
def Dnnf_OrOp : Dnnf_BinaryOp<"or", Dnnf_BoolTensor, Dnnf_BoolTensor, "y = a || b",
    "inferBroadcastTypes", (ins), [Commutative]>;
def Dnnf_XorOp : Dnnf_BinaryOp<"xor", Dnnf_BoolTensor, Dnnf_BoolTensor, "y = a != b",
    "inferBroadcastTypes", (ins), [Commutative]>;
def Dnnf_BitShiftOp : Dnnf_BinaryOp<"bit_shift", Dnnf_IntTensor, Dnnf_IntTensor,
    "y = direction == \"left\" ? a << b : a >> b", "inferBroadcastTypes",
    (ins StrAttr:$direction)> {
  let hasVerifier = 1;
}

def Dnnf_PReluOp : Dnnf_ComputeOp<"prelu", kO2O,
    (ins Dnnf_FloatTensor:$input, Dnnf_FloatTensor:$slope),
    (outs Dnnf_FloatTensor:$output),
    [AllTypesMatch<["input", "output"]>, AllElementTypesMatch<["input", "slope"]>]> {
  let summary = "Parametric ReLU";
  let description = [{
    ONNX `PRelu`: `y = x >= 0 ? x : slope * x`, where the learned `slope`
    broadcasts unidirectionally to the input's shape (for example one value
    per channel).  The slope is a parameter, so the mapping type is that of
    the data input: `one_to_one`.
  }];
  let assemblyFormat =
      "$input `,` $slope attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Dnnf_WhereOp : Dnnf_ComputeOp<"where", kElementwise,
    (ins Dnnf_BoolTensor:$condition, Dnnf_Tensor:$lhs, Dnnf_Tensor:$rhs),
    (outs Dnnf_Tensor:$output),
    [InferTypeOpAdaptor, AllElementTypesMatch<["lhs", "rhs", "output"]>],
    Dnnf_InferBody<"inferWhereTypes">.body> {
  let summary = "Elementwise select with broadcasting";
  let description = [{
    ONNX `Where`: `y = condition ? lhs : rhs`, with the three operands
    broadcast together.  Mapping type: `one_to_one`, or `one_to_many` when an
    operand broadcasts.
  }];
  let assemblyFormat = "$condition `,` $lhs `,` $rhs attr-dict `:` "
                       "functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Reductions and normalisations (many_to_many)
//===----------------------------------------------------------------------===//

class Dnnf_ReduceOp<string mnemonic, string formula, Type T = Dnnf_Tensor>
    : Dnnf_ComputeOp<mnemonic, kM2M,
        (ins T:$input, DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes,
             DefaultValuedAttr<BoolAttr, "true">:$keepdims),
        (outs T:$output), [InferTypeOpAdaptor],
        [{
::llvm::LogicalResult $cppClass::inferReturnTypes(
    ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
    Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
  return ::mlir::dnnf::detail::inferReduceTypes(location, adaptor.getInput(),
      adaptor.getAxes(), adaptor.getKeepdims(), inferredReturnTypes);
}
}]> {
  let summary = "Reduction: " # mnemonic;
  let description = "Reduces `input` over `axes` (all axes when empty; "
      # "negative axes count from the end) computing `" # formula # "`; "
      # "reduced dimensions are kept with size 1 when `keepdims` is true.  "
      # "Mapping type: `many_to_many`.";
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Dnnf_ReduceSumOp : Dnnf_ReduceOp<"reduce_sum", "sum(x)">;
def Dnnf_ReduceMeanOp : Dnnf_ReduceOp<"reduce_mean", "sum(x) / n">;
def Dnnf_ReduceMaxOp : Dnnf_ReduceOp<"reduce_max", "max(x)">;
def Dnnf_ReduceMinOp : Dnnf_ReduceOp<"reduce_min", "min(x)">;
def Dnnf_ReduceProdOp : Dnnf_ReduceOp<"reduce_prod", "prod(x)">;
def Dnnf_ReduceL1Op : Dnnf_ReduceOp<"reduce_l1", "sum(|x|)">;
def Dnnf_ReduceL2Op : Dnnf_ReduceOp<"reduce_l2", "sqrt(sum(x^2))", Dnnf_FloatTensor>;
def Dnnf_ReduceSumSquareOp : Dnnf_ReduceOp<"reduce_sum_square", "sum(x^2)">;
def Dnnf_ReduceLogSumOp : Dnnf_ReduceOp<"reduce_log_sum", "log(sum(x))",
    Dnnf_FloatTensor>;
def Dnnf_ReduceLogSumExpOp : Dnnf_ReduceOp<"reduce_log_sum_exp",
    "log(sum(exp(x)))", Dnnf_FloatTensor>;

class Dnnf_ArgReduceOp<string mnemonic, string what>
    : Dnnf_ComputeOp<mnemonic, kM2M,
        (ins Dnnf_Tensor:$input, DefaultValuedAttr<I64Attr, "0">:$axis,
             DefaultValuedAttr<BoolAttr, "true">:$keepdims,
             DefaultValuedAttr<BoolAttr, "false">:$select_last_index),
        (outs Dnnf_I64Tensor:$output), [InferTypeOpAdaptor],
        [{
::llvm::LogicalResult $cppClass::inferReturnTypes(
    ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
    Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
  return ::mlir::dnnf::detail::inferArgReduceTypes(location, adaptor.getInput(),
      adaptor.getAxis(), adaptor.getKeepdims(), inferredReturnTypes);
}
}]> {
  let summary = "Index of the " # what # " element along an axis";
  let description = "ONNX `Arg" # what # "`: the i64 index of the " # what
      # " element along `axis` (first occurrence unless `select_last_index`)."
      # "  Mapping type: `many_to_many`.";
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}
def Dnnf_ArgMaxOp : Dnnf_ArgReduceOp<"arg_max", "Max">;
def Dnnf_ArgMinOp : Dnnf_ArgReduceOp<"arg_min", "Min">;

class Dnnf_AxisOp<string mnemonic, string summary_, string desc, dag extra = (ins)>
    : Dnnf_ComputeOp<mnemonic, kM2M,
        !con((ins Dnnf_FloatTensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis),
             extra),
        (outs Dnnf_FloatTensor:$output), [SameOperandsAndResultType]> {
  let summary = summary_;
  let description = desc # "  Mapping type: `many_to_many`.";
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def Dnnf_SoftmaxOp : Dnnf_AxisOp<"softmax", "Softmax along an axis",
    "ONNX `Softmax` (opset 13 semantics): `exp(x) / sum(exp(x))` along "
    "`axis`.">;
def Dnnf_LogSoftmaxOp : Dnnf_AxisOp<"log_softmax", "Log-softmax along an axis",
    "ONNX `LogSoftmax` (opset 13 semantics): `x - log(sum(exp(x)))` along "
    "`axis`.">;
def Dnnf_CumSumOp : Dnnf_ComputeOp<"cumsum", kM2M,
    (ins Dnnf_Tensor:$input, I64Attr:$axis,
         DefaultValuedAttr<BoolAttr, "false">:$exclusive,
         DefaultValuedAttr<BoolAttr, "false">:$reverse),
    (outs Dnnf_Tensor:$output), [SameOperandsAndResultType]> {
  let summary = "Cumulative sum along an axis";
  let description = [{
    ONNX `CumSum` with a constant axis: inclusive (or `exclusive`) prefix sums
    along `axis`, from the end when `reverse`.  Mapping type: `many_to_many`.
  }];
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def Dnnf_BatchNormOp : Dnnf_ComputeOp<"batch_norm", kO2O,
    (ins Dnnf_FloatTensor:$input, Dnnf_FloatTensor:$scale, Dnnf_FloatTensor:$bias,
         Dnnf_FloatTensor:$mean, Dnnf_FloatTensor:$variance,
         DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon),
    (outs Dnnf_FloatTensor:$output), [AllTypesMatch<["input", "output"]>]> {
  let summary = "Inference batch normalisation";
  let description = [{
    ONNX `BatchNormalization` in inference mode:
    `y = scale * (x - mean) / sqrt(variance + epsilon) + bias`, with the four
    parameters of shape `[C]` applied along dimension 1 of an `N x C x ...`
    input.  The parameters are per-channel constants, so each output element
    depends on one input element: mapping type `one_to_one` (DNNFusion
    Table 2).
  }];
  let assemblyFormat = "$input `,` $scale `,` $bias `,` $mean `,` $variance "
                       "attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Dnnf_InstanceNormOp : Dnnf_ComputeOp<"instance_norm", kM2M,
    (ins Dnnf_FloatTensor:$input, Dnnf_FloatTensor:$scale, Dnnf_FloatTensor:$bias,
         DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon),
    (outs Dnnf_FloatTensor:$output), [AllTypesMatch<["input", "output"]>]> {
  let summary = "Instance normalisation";
  let description = [{
    ONNX `InstanceNormalization`: normalises each `(n, c)` spatial slice to
    zero mean and unit variance, then applies per-channel `scale` and `bias`
    of shape `[C]`.  Mapping type: `many_to_many`.
  }];
  let assemblyFormat = "$input `,` $scale `,` $bias attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def Dnnf_LayerNormOp : Dnnf_ComputeOp<"layer_norm", kM2M,
    (ins Dnnf_FloatTensor:$input, Dnnf_FloatTensor:$scale,
         Optional<Dnnf_FloatTensor>:$bias,
         DefaultValuedAttr<I64Attr, "-1">:$axis,
         DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon),
    (outs Dnnf_FloatTensor:$output), [AllTypesMatch<["input", "output"]>]> {
  let summary = "Layer normalisation";
  let description = [{
    ONNX `LayerNormalization`: normalises over dimensions `[axis, rank)` to
    zero mean and unit variance, then applies `scale` and the optional
    `bias`, which broadcast to those dimensions.  Mapping type:
    `many_to_many`.
  }];
  let assemblyFormat = "$input `,` $scale (`,` $bias^)? attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def Dnnf_LRNOp : Dnnf_ComputeOp<"lrn", kM2M,
    (ins Dnnf_FloatTensor:$input, I64Attr:$size,
         DefaultValuedAttr<F32Attr, "0.0001">:$alpha,
         DefaultValuedAttr<F32Attr, "0.75">:$beta,
         DefaultValuedAttr<F32Attr, "1.0">:$bias),
    (outs Dnnf_FloatTensor:$output), [SameOperandsAndResultType]> {
  let summary = "Local response normalisation across channels";
  let description = [{
    ONNX `LRN`: `y = x / (bias + alpha / size * sum(x^2 over size channels))^beta`
    on an `N x C x ...` input.  Mapping type: `many_to_many`.
  }];
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Contractions, convolutions and pooling (many_to_many)
//===----------------------------------------------------------------------===//

def Dnnf_MatMulOp : Dnnf_ComputeOp<"matmul", kM2M,
    (ins Dnnf_Tensor:$lhs, Dnnf_Tensor:$rhs), (outs Dnnf_Tensor:$output),
    [InferTypeOpAdaptor, AllElementTypesMatch<["lhs", "rhs"]>],
    Dnnf_InferBody<"inferMatMulTypes">.body> {
  let summary = "Batched matrix product (numpy matmul)";
  let description = [{
    ONNX `MatMul`: numpy `matmul` semantics.  1-D operands are promoted
    (a leading 1 for `lhs`, a trailing 1 for `rhs`) and the promoted
    dimension is removed from the result; batch dimensions broadcast.
    Mapping type: `many_to_many`.
  }];
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Dnnf_GemmOp : Dnnf_ComputeOp<"gemm", kM2M,
    (ins Dnnf_Tensor:$a, Dnnf_Tensor:$b, Optional<Dnnf_Tensor>:$c,
         DefaultValuedAttr<F32Attr, "1.0">:$alpha,
         DefaultValuedAttr<F32Attr, "1.0">:$beta,
         DefaultValuedAttr<BoolAttr, "false">:$transA,
         DefaultValuedAttr<BoolAttr, "false">:$transB),
    (outs Dnnf_Tensor:$output),
    [InferTypeOpAdaptor, AllElementTypesMatch<["a", "b", "output"]>]> {
  let summary = "General matrix multiply";
  let description = [{
    ONNX `Gemm`: `y = alpha * op(a) * op(b) + beta * c`, where `op`
    transposes when `transA`/`transB` is set and the optional `c`
    broadcasts unidirectionally to `M x N`.  Mapping type: `many_to_many`.
  }];
  let assemblyFormat = "$a `,` $b (`,` $c^)? attr-dict `:` "
                       "functional-type(operands, results)";
}

def Dnnf_EinsumOp : Dnnf_ComputeOp<"einsum", kM2M,
    (ins Variadic<Dnnf_Tensor>:$inputs, StrAttr:$equation),
    (outs Dnnf_Tensor:$output)> {
  let summary = "Einstein summation";
  let description = [{
    ONNX `Einsum`: the contraction described by `equation`, for example
    `"bij,bjk->bik"`.  The verifier checks that each operand's rank matches
    its term and that repeated labels have equal sizes.  Mapping type:
    `many_to_many`.
  }];
  let assemblyFormat =
      "$inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Dnnf_ConvOp : Dnnf_ComputeOp<"conv", kM2M,
    (ins Dnnf_FloatTensor:$input, Dnnf_FloatTensor:$weight,
         Optional<Dnnf_FloatTensor>:$bias,
         DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
         DenseI64ArrayAttr:$dilations,
         DefaultValuedAttr<I64Attr, "1">:$group),
    (outs Dnnf_FloatTensor:$output),
    [InferTypeOpAdaptor, AllElementTypesMatch<["input", "weight", "output"]>]> {
  let summary = "N-D convolution (NCHW)";
  let description = [{
    ONNX `Conv` with explicit padding: `input` is `N x C x D1 x ... x Dn`,
    `weight` is `M x C/group x k1 x ... x kn`, the optional `bias` is `[M]`.
    `strides` and `dilations` have n entries; `pads` has 2n entries
    (all begins, then all ends).  Output size per spatial dimension:
    `(D + pad_begin + pad_end - dilation * (k - 1) - 1) / stride + 1`.
    Mapping type: `many_to_many`.
  }];
  let assemblyFormat = "$input `,` $weight (`,` $bias^)? attr-dict `:` "
                       "functional-type(operands, results)";
}

def Dnnf_ConvTransposeOp : Dnnf_ComputeOp<"conv_transpose", kM2M,
    (ins Dnnf_FloatTensor:$input, Dnnf_FloatTensor:$weight,
         Optional<Dnnf_FloatTensor>:$bias,
         DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
         DenseI64ArrayAttr:$dilations, DenseI64ArrayAttr:$output_padding,
         DefaultValuedAttr<I64Attr, "1">:$group),
    (outs Dnnf_FloatTensor:$output),
    [InferTypeOpAdaptor, AllElementTypesMatch<["input", "weight", "output"]>]> {
  let summary = "N-D transposed convolution (NCHW)";
  let description = [{
    ONNX `ConvTranspose` with explicit padding: `weight` is
    `C x M/group x k1 x ... x kn`.  Output size per spatial dimension:
    `stride * (D - 1) + output_padding + dilation * (k - 1) + 1 - pad_begin - pad_end`.
    Mapping type: `many_to_many`.
  }];
  let assemblyFormat = "$input `,` $weight (`,` $bias^)? attr-dict `:` "
                       "functional-type(operands, results)";
}

def Dnnf_MaxPoolOp : Dnnf_ComputeOp<"max_pool", kM2M,
    (ins Dnnf_Tensor:$input, DenseI64ArrayAttr:$kernel_shape,
         DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
         DenseI64ArrayAttr:$dilations,
         DefaultValuedAttr<BoolAttr, "false">:$ceil_mode),
    (outs Dnnf_Tensor:$output),
    [InferTypeOpAdaptor, AllElementTypesMatch<["input", "output"]>]> {
  let summary = "N-D max pooling (NCHW)";
  let description = [{
    ONNX `MaxPool` with explicit padding (padded positions never win).
    `kernel_shape`, `strides` and `dilations` have n entries, `pads` 2n.
    Mapping type: `many_to_many`.
  }];
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Dnnf_AveragePoolOp : Dnnf_ComputeOp<"average_pool", kM2M,
    (ins Dnnf_FloatTensor:$input, DenseI64ArrayAttr:$kernel_shape,
         DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
         DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
         DefaultValuedAttr<BoolAttr, "false">:$count_include_pad),
    (outs Dnnf_FloatTensor:$output),
    [InferTypeOpAdaptor, AllElementTypesMatch<["input", "output"]>]> {
  let summary = "N-D average pooling (NCHW)";
  let description = [{
    ONNX `AveragePool` with explicit padding; padded positions count in the
    divisor only when `count_include_pad`.  Mapping type: `many_to_many`.
  }];
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

class Dnnf_GlobalPoolOp<string mnemonic, string what>
    : Dnnf_ComputeOp<mnemonic, kM2M, (ins Dnnf_FloatTensor:$input),
        (outs Dnnf_FloatTensor:$output),
        [InferTypeOpAdaptor, AllElementTypesMatch<["input", "output"]>],
        Dnnf_InferBody<"inferGlobalPoolTypes">.body> {
  let summary = "Global " # what # " pooling over all spatial dimensions";
  let description = "ONNX `Global" # what # "Pool`: the " # what # " over "
      # "dimensions 2.. of an `N x C x ...` input, kept with size 1.  Mapping "
      # "type: `many_to_many`.";
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}
def Dnnf_GlobalAveragePoolOp : Dnnf_GlobalPoolOp<"global_average_pool", "Average">;
def Dnnf_GlobalMaxPoolOp : Dnnf_GlobalPoolOp<"global_max_pool", "Max">;

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Dnnf_ReshapeOp : Dnnf_ComputeOp<"reshape", kRO,
    (ins Dnnf_Tensor:$input), (outs Dnnf_Tensor:$output),
    [AllElementTypesMatch<["input", "output"]>]> {
  let summary = "Reshape to the result type";
  let description = [{
    ONNX `Reshape` with its shape folded into the result type: the elements
    in row-major order are unchanged.  Mapping type: `reorganize`.
  }];
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Dnnf_FlattenOp : Dnnf_ComputeOp<"flatten", kRO,
    (ins Dnnf_Tensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis),
    (outs Dnnf_Tensor:$output), [InferTypeOpAdaptor],
    [{
::llvm::LogicalResult $cppClass::inferReturnTypes(
    ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
    Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
  return ::mlir::dnnf::detail::inferFlattenTypes(location, adaptor.getInput(),
      adaptor.getAxis(), inferredReturnTypes);
}
}]> {
  let summary = "Flatten into a 2-D tensor";
  let description = [{
    ONNX `Flatten`: dimensions `[0, axis)` and `[axis, rank)` are each
    collapsed into one.  Mapping type: `reorganize`.
  }];
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Dnnf_SqueezeOp : Dnnf_ComputeOp<"squeeze", kRO,
    (ins Dnnf_Tensor:$input, DenseI64ArrayAttr:$axes),
    (outs Dnnf_Tensor:$output), [InferTypeOpAdaptor],
    [{
::llvm::LogicalResult $cppClass::inferReturnTypes(
    ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
    Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
  return ::mlir::dnnf::detail::inferSqueezeTypes(location, adaptor.getInput(),
      adaptor.getAxes(), inferredReturnTypes);
}
}]> {
  let summary = "Remove size-1 dimensions";
  let description = [{
    ONNX `Squeeze` with constant axes: removes the listed dimensions, which
    must have size 1.  Mapping type: `reorganize`.
  }];
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Dnnf_UnsqueezeOp : Dnnf_ComputeOp<"unsqueeze", kRO,
    (ins Dnnf_Tensor:$input, DenseI64ArrayAttr:$axes),
    (outs Dnnf_Tensor:$output), [InferTypeOpAdaptor],
    [{
::llvm::LogicalResult $cppClass::inferReturnTypes(
    ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
    Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
  return ::mlir::dnnf::detail::inferUnsqueezeTypes(location, adaptor.getInput(),
      adaptor.getAxes(), inferredReturnTypes);
}
}]> {
  let summary = "Insert size-1 dimensions";
  let description = [{
    ONNX `Unsqueeze` with constant axes, given as positions in the result
    (negative values count from the result's end).  Mapping type:
    `reorganize`.
  }];
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Dnnf_TransposeOp : Dnnf_ComputeOp<"transpose", kSH,
    (ins Dnnf_Tensor:$input, DenseI64ArrayAttr:$perm),
    (outs Dnnf_Tensor:$output), [InferTypeOpAdaptor],
    [{
::llvm::LogicalResult $cppClass::inferReturnTypes(
    ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
    Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
  return ::mlir::dnnf::detail::inferTransposeTypes(location, adaptor.getInput(),
      adaptor.getPerm(), inferredReturnTypes);
}
}]> {
  let summary = "Permute dimensions";
  let description = [{
    ONNX `Transpose`: `output.shape[i] = input.shape[perm[i]]`.  Mapping
    type: `shuffle`.
  }];
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

class Dnnf_BlockShuffleOp<string mnemonic, string summary_, string desc, dag extra>
    : Dnnf_ComputeOp<mnemonic, kSH, !con((ins Dnnf_Tensor:$input,
                                           I64Attr:$blocksize), extra),
        (outs Dnnf_Tensor:$output),
        [InferTypeOpAdaptor, AllElementTypesMatch<["input", "output"]>]> {
  let summary = summary_;
  let description = desc # "  Mapping type: `shuffle`.";
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}
def Dnnf_DepthToSpaceOp : Dnnf_BlockShuffleOp<"depth_to_space",
    "Rearrange channel blocks into spatial blocks",
    "ONNX `DepthToSpace` on `N x C x H x W`: result "
    "`N x C/b^2 x H*b x W*b`, in `DCR` or `CRD` `mode`.",
    (ins DefaultValuedStrAttr<StrAttr, "DCR">:$mode)>;
def Dnnf_SpaceToDepthOp : Dnnf_BlockShuffleOp<"space_to_depth",
    "Rearrange spatial blocks into channels",
    "ONNX `SpaceToDepth` on `N x C x H x W`: result `N x C*b^2 x H/b x W/b`.",
    (ins)>;

def Dnnf_ExpandOp : Dnnf_ComputeOp<"expand", kO2M,
    (ins Dnnf_Tensor:$input), (outs Dnnf_Tensor:$output),
    [AllElementTypesMatch<["input", "output"]>]> {
  let summary = "Broadcast to the result type";
  let description = [{
    ONNX `Expand` with its shape folded into the result type, which must be
    the numpy broadcast of the input shape and that shape.  Mapping type:
    `one_to_many`.
  }];
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($output)";
  let hasVerifier = 1;
}

def Dnnf_TileOp : Dnnf_ComputeOp<"tile", kO2M,
    (ins Dnnf_Tensor:$input, DenseI64ArrayAttr:$repeats),
    (outs Dnnf_Tensor:$output), [InferTypeOpAdaptor],
    [{
::llvm::LogicalResult $cppClass::inferReturnTypes(
    ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
    Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
  return ::mlir::dnnf::detail::inferTileTypes(location, adaptor.getInput(),
      adaptor.getRepeats(), inferredReturnTypes);
}
}]> {
  let summary = "Repeat a tensor along each dimension";
  let description = [{
    ONNX `Tile` with constant repeats.  Mapping type: `one_to_many`.
  }];
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Dnnf_GatherOp : Dnnf_ComputeOp<"gather", kO2M,
    (ins Dnnf_Tensor:$input, Dnnf_IndexTensor:$indices,
         DefaultValuedAttr<I64Attr, "0">:$axis),
    (outs Dnnf_Tensor:$output),
    [InferTypeOpAdaptor, AllElementTypesMatch<["input", "output"]>]> {
  let summary = "Gather slices along an axis";
  let description = [{
    ONNX `Gather`: `output` has shape
    `input.shape[:axis] + indices.shape + input.shape[axis+1:]`; negative
    indices count from the end.  Mapping type: `one_to_many`.
  }];
  let assemblyFormat = "$input `[` $indices `]` attr-dict `:` "
                       "functional-type(operands, results)";
}

def Dnnf_ResizeOp : Dnnf_ComputeOp<"resize", kO2M,
    (ins Dnnf_Tensor:$input,
         DefaultValuedStrAttr<StrAttr, "nearest">:$mode,
         DefaultValuedStrAttr<StrAttr, "half_pixel">:$coordinate_transformation_mode,
         DefaultValuedStrAttr<StrAttr, "round_prefer_floor">:$nearest_mode,
         DefaultValuedAttr<F32Attr, "-0.75">:$cubic_coeff_a,
         OptionalAttr<DenseF64ArrayAttr>:$scales),
    (outs Dnnf_Tensor:$output), [AllElementTypesMatch<["input", "output"]>]> {
  let summary = "Resize (ONNX Resize and Upsample)";
  let description = [{
    ONNX `Resize` (and the older `Upsample`) to the result shape, with
    `mode` `nearest`, `linear` or `cubic`.  `scales`, when given, are the
    per-dimension factors used by the coordinate transformation; otherwise
    they are `output / input` sizes.  Mapping type: `one_to_many`.
  }];
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($output)";
  let hasVerifier = 1;
}

def Dnnf_PadOp : Dnnf_ComputeOp<"pad", kO2O,
    (ins Dnnf_Tensor:$input, DenseI64ArrayAttr:$pads,
         DefaultValuedStrAttr<StrAttr, "constant">:$mode,
         DefaultValuedAttr<F64Attr, "0.0">:$value),
    (outs Dnnf_Tensor:$output), [InferTypeOpAdaptor],
    [{
::llvm::LogicalResult $cppClass::inferReturnTypes(
    ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
    Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
  return ::mlir::dnnf::detail::inferPadTypes(location, adaptor.getInput(),
      adaptor.getPads(), inferredReturnTypes);
}
}]> {
  let summary = "Pad a tensor";
  let description = [{
    ONNX `Pad`: `pads` has 2 x rank entries (all begins, then all ends);
    `mode` is `constant` (with `value`), `reflect`, `edge` or `wrap`.  Each
    output element copies at most one input element: mapping type
    `one_to_one`, like `dnnf.slice`.
  }];
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Dnnf_ConcatOp : Dnnf_ComputeOp<"concat", kO2O,
    (ins Variadic<Dnnf_Tensor>:$inputs, I64Attr:$axis),
    (outs Dnnf_Tensor:$output), [InferTypeOpAdaptor],
    [{
::llvm::LogicalResult $cppClass::inferReturnTypes(
    ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
    Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferredReturnTypes) {
  return ::mlir::dnnf::detail::inferConcatTypes(location, adaptor.getInputs(),
      adaptor.getAxis(), inferredReturnTypes);
}
}]> {
  let summary = "Concatenate along an axis";
  let description = [{
    ONNX `Concat`.  Every output element copies one input element:
    mapping type `one_to_one`.
  }];
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
}

def Dnnf_SliceOp : Dnnf_ComputeOp<"slice", kO2O,
    (ins Dnnf_Tensor:$input, DenseI64ArrayAttr:$starts, DenseI64ArrayAttr:$ends,
         DenseI64ArrayAttr:$axes, DenseI64ArrayAttr:$steps),
    (outs Dnnf_Tensor:$output), [InferTypeOpAdaptor]> {
  let summary = "Strided slice";
  let description = [{
    ONNX `Slice` with constant `starts`, `ends`, `axes` and `steps` (one
    entry per sliced axis).  Negative starts/ends count from the end and are
    clamped as ONNX specifies; steps may be negative but not zero.  Mapping
    type: `one_to_one`.
  }];
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Dnnf_SplitOp : Dnnf_ComputeOp<"split", kO2O,
    (ins Dnnf_Tensor:$input, I64Attr:$axis, DenseI64ArrayAttr:$sizes),
    (outs Variadic<Dnnf_Tensor>:$outputs), [InferTypeOpAdaptor]> {
  let summary = "Split along an axis";
  let description = [{
    ONNX `Split` with constant split `sizes`, one per result, summing to the
    size of `axis`.  Mapping type: `one_to_one`.
  }];
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Fusion
//===----------------------------------------------------------------------===//

def Dnnf_FusedOp : Dnnf_Op<"fused", [IsolatedFromAbove, RecursiveMemoryEffects,
    DeclareOpInterfaceMethods<Dnnf_MappingOpInterface>]> {
  let summary = "A fused block of dnnf operations, lowered as one kernel";
  let description = [{
    Holds one fusion block as a single-block region whose arguments are the
    block's inputs and whose `dnnf.yield` gives its results.  `mapping` is
    the mapping type of the fused block as a whole (DNNFusion Table 3); the
    fused block is lowered to a single kernel.

    ```mlir
    %r = dnnf.fused (%x, %w) : (tensor<1x8x16x16xf32>, tensor<8x8x3x3xf32>)
           -> tensor<1x8x16x16xf32> attributes {mapping = #dnnf.mapping<many_to_many>} {
    ^bb0(%a: tensor<1x8x16x16xf32>, %b: tensor<8x8x3x3xf32>):
      ...
      dnnf.yield %y : tensor<1x8x16x16xf32>
    }
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$inputs, Dnnf_MappingAttr:$mapping);
  let results = (outs Variadic<AnyType>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "`(` $inputs `)` `:` functional-type($inputs, results) "
                       "attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
}

def Dnnf_YieldOp : Dnnf_Op<"yield", [Pure, Terminator, ReturnLike,
    HasParent<"FusedOp">]> {
  let summary = "Terminates a dnnf.fused block with its results";
  let description = [{
    Returns the values of a fused block; their types must match the results
    of the enclosing `dnnf.fused`.
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
  let builders = [OpBuilder<(ins), [{ /* nothing to yield */ }]>];
}

#endif // DNNF_OPS_TD
