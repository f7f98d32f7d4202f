//===- DnnfDialect.cpp - dnnf dialect -------------------------------------===//

#include "dnnf/IR/DnnfDialect.h"
#include "dnnf/IR/DnnfOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::dnnf;

#include "dnnf/IR/DnnfDialect.cpp.inc"
#include "dnnf/IR/DnnfEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dnnf/IR/DnnfAttrs.cpp.inc"

void DnnfDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dnnf/IR/DnnfOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dnnf/IR/DnnfAttrs.cpp.inc"
      >();
}

Operation *DnnfDialect::materializeConstant(OpBuilder &builder,
                                            Attribute value, Type type,
                                            Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}
