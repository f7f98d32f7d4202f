//===- Dnnf.cpp - C API of the dnnf dialect -------------------------------===//

#include "dnnf-c/Dnnf.h"

#include "dnnf/Conversion/Passes.h"
#include "dnnf/IR/DnnfOps.h"
#include "dnnf/Transforms/Passes.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"

#include <mutex>

using namespace mlir;

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Dnnf, dnnf, mlir::dnnf::DnnfDialect)

void dnnfRegisterDialect(MlirDialectRegistry registry) {
  unwrap(registry)->insert<mlir::dnnf::DnnfDialect>();
}

void dnnfRegisterPasses(void) {
  static std::once_flag once;
  std::call_once(once, [] {
    mlir::dnnf::registerDnnfPasses();
    mlir::dnnf::registerDnnfConversions();
  });
}

int dnnfOperationComputeMappingType(MlirOperation op) {
  auto iface = dyn_cast<mlir::dnnf::MappingOpInterface>(unwrap(op));
  return iface ? static_cast<int>(iface.computeMappingType()) : -1;
}

int dnnfOperationGetStoredMappingType(MlirOperation op) {
  auto iface = dyn_cast<mlir::dnnf::MappingOpInterface>(unwrap(op));
  if (!iface)
    return -1;
  std::optional<mlir::dnnf::MappingType> stored = iface.getStoredMappingType();
  return stored ? static_cast<int>(*stored) : -1;
}
