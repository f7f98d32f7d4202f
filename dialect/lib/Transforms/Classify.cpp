//===- Classify.cpp - annotate dnnf ops with mapping types ----------------===//

#include "dnnf/IR/DnnfOps.h"
#include "dnnf/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"

namespace mlir {
namespace dnnf {
#define GEN_PASS_DEF_DNNFCLASSIFY
#include "dnnf/Transforms/Passes.h.inc"
} // namespace dnnf
} // namespace mlir

using namespace mlir;
using namespace mlir::dnnf;

namespace {
struct ClassifyPass : public dnnf::impl::DnnfClassifyBase<ClassifyPass> {
  using DnnfClassifyBase::DnnfClassifyBase;

  void runOnOperation() override {
    getOperation()->walk([&](MappingOpInterface op) {
      // dnnf.fused carries the type of its whole block: keep it.
      if (isa<FusedOp>(op.getOperation())) {
        count(op.getMappingType());
        return;
      }
      if (remove) {
        op->removeAttr("mapping");
        return;
      }
      MappingType type = op.computeMappingType();
      op->setAttr("mapping", MappingTypeAttr::get(op->getContext(), type));
      count(type);
      if (emitRemarks)
        op->emitRemark() << "mapping type: " << stringifyMappingType(type);
    });
  }

  void count(MappingType type) {
    switch (type) {
    case MappingType::OneToOne:
      ++numOneToOne;
      break;
    case MappingType::OneToMany:
      ++numOneToMany;
      break;
    case MappingType::ManyToMany:
      ++numManyToMany;
      break;
    case MappingType::Reorganize:
      ++numReorganize;
      break;
    case MappingType::Shuffle:
      ++numShuffle;
      break;
    }
  }
};
} // namespace
