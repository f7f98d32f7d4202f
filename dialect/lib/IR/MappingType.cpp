//===- MappingType.cpp - DNNFusion mapping types --------------------------===//

#include "dnnf/IR/DnnfOps.h"

using namespace mlir;
using namespace mlir::dnnf;

#include "dnnf/IR/DnnfInterfaces.cpp.inc"

static constexpr StringLiteral kMappingAttrName = "mapping";

std::optional<MappingType> MappingOpInterface::getStoredMappingType() {
  if (auto attr = (*this)->getAttrOfType<MappingTypeAttr>(kMappingAttrName))
    return attr.getValue();
  return std::nullopt;
}

MappingType MappingOpInterface::getMappingType() {
  if (std::optional<MappingType> stored = getStoredMappingType())
    return *stored;
  return computeMappingType();
}

MappingType dnnf::detail::elementwiseMappingType(Operation *op) {
  if (op->getNumResults() == 0)
    return MappingType::OneToOne;
  auto resultType = dyn_cast<ShapedType>(op->getResult(0).getType());
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<ShapedType>(operand.getType());
    if (!type || !resultType || type.getShape() != resultType.getShape())
      return MappingType::OneToMany;
  }
  return MappingType::OneToOne;
}

LogicalResult dnnf::detail::verifyMappingOpInterface(Operation *op) {
  Attribute raw = op->getAttr(kMappingAttrName);
  if (!raw)
    return success();
  auto stored = dyn_cast<MappingTypeAttr>(raw);
  if (!stored)
    return op->emitOpError("attribute 'mapping' must be a #dnnf.mapping, got ")
           << raw;
  MappingType computed = cast<MappingOpInterface>(op).computeMappingType();
  if (stored.getValue() != computed)
    return op->emitOpError("stored mapping type '")
           << stringifyMappingType(stored.getValue())
           << "' contradicts the computed mapping type '"
           << stringifyMappingType(computed) << "'";
  return success();
}
