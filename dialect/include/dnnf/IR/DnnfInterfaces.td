//===- DnnfInterfaces.td - dnnf op interfaces --------------*- tablegen -*-===//

#ifndef DNNF_INTERFACES_TD
#define DNNF_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Dnnf_MappingOpInterface : OpInterface<"MappingOpInterface"> {
  let cppNamespace = "::mlir::dnnf";
  let description = [{
    Implemented by every dnnf compute operation.  `computeMappingType`
    derives the DNNFusion mapping type of this operation instance from the
    operation's semantics and its operand and result shapes; for several
    inputs that map differently, the most complex type wins in the order
    one_to_one < reorganize < shuffle < one_to_many < many_to_many.

    The type may also be stored in the operation's optional `mapping`
    attribute; the interface verifier rejects a stored value that
    contradicts the computed one.
  }];
  let methods = [
    InterfaceMethod<
      /*desc=*/"Returns the mapping type computed from the op instance.",
      /*retTy=*/"::mlir::dnnf::MappingType",
      /*methodName=*/"computeMappingType">,
  ];
  let extraClassDeclaration = [{
    /// The stored `mapping` attribute, if any.
    std::optional<::mlir::dnnf::MappingType> getStoredMappingType();
    /// The stored type if present, else the computed one.
    ::mlir::dnnf::MappingType getMappingType();
  }];
  // Run after the op's own verifier, so that shape errors are reported
  // first and computeMappingType sees well-formed operands.
  let verifyWithRegions = 1;
  let verify = [{ return ::mlir::dnnf::detail::verifyMappingOpInterface($_op); }];
}

#endif // DNNF_INTERFACES_TD
