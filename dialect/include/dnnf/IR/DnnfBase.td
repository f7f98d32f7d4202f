//===- DnnfBase.td - dnnf dialect definition ---------------*- tablegen -*-===//
//
// The dnnf dialect: one operation per ONNX operator semantics, each carrying
// the DNNFusion mapping type of its instance.
//
//===----------------------------------------------------------------------===//

#ifndef DNNF_BASE_TD
#define DNNF_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Dnnf_Dialect : Dialect {
  let name = "dnnf";
  let cppNamespace = "::mlir::dnnf";
  let summary = "Operator-level DNN dialect with DNNFusion mapping types";
  let description = [{
    The `dnnf` dialect models a trained network at the granularity of ONNX
    operators: one operation per ONNX operator semantics, on ranked tensors
    with (normally) static shapes.

    Every compute operation implements `MappingOpInterface`, which derives
    the DNNFusion mapping type of the operation *instance* from its
    semantics and its operand and result shapes (`dnnf.add` is one-to-one
    when shapes match and one-to-many when it broadcasts).  Operations may
    also carry that type in their optional `mapping` attribute, which the
    `--dnnf-classify` pass sets and which the verifier checks against the
    computed value.

    Weights are `dnnf.constant` operations.  Large weights use the builtin
    `dense_resource` elements attribute, so that their bytes live in the
    module's resource section (and in bytecode as raw blobs) rather than
    being printed inline in every use.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
}

def Dnnf_MappingTypeEnum : I32EnumAttr<"MappingType",
    "DNNFusion mapping type of an operator instance", [
      // The integer values follow DNNFusion's complexity order
      // O2O < RO < SH < O2M < M2M, so that the most complex of several
      // types is their maximum.
      I32EnumAttrCase<"OneToOne", 0, "one_to_one">,
      I32EnumAttrCase<"Reorganize", 1, "reorganize">,
      I32EnumAttrCase<"Shuffle", 2, "shuffle">,
      I32EnumAttrCase<"OneToMany", 3, "one_to_many">,
      I32EnumAttrCase<"ManyToMany", 4, "many_to_many">
    ]> {
  let cppNamespace = "::mlir::dnnf";
  let genSpecializedAttr = 0;
}

def Dnnf_MappingAttr : EnumAttr<Dnnf_Dialect, Dnnf_MappingTypeEnum, "mapping"> {
  let summary = "DNNFusion mapping type";
  let description = [{
    One of `one_to_one`, `one_to_many`, `many_to_many`, `reorganize` and
    `shuffle`, printed `#dnnf.mapping<one_to_one>`.
  }];
  let assemblyFormat = "`<` $value `>`";
}

#endif // DNNF_BASE_TD
