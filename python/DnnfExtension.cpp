//===- DnnfExtension.cpp - dnnf in the upstream MLIR Python bindings ------===//
//
// Everything crosses the boundary through the MLIR C API (capsules), so this
// module works with any Context or Operation of the upstream `mlir` package.
//
//===----------------------------------------------------------------------===//

#include "dnnf-c/Dnnf.h"

#include "mlir/Bindings/Python/Nanobind.h"
#include "mlir/Bindings/Python/NanobindAdaptors.h"

namespace nb = nanobind;

static const char *const kMappingNames[] = {
    "one_to_one", "reorganize", "shuffle", "one_to_many", "many_to_many"};

static nb::object mappingName(int value) {
  if (value < 0)
    return nb::none();
  return nb::str(kMappingNames[value]);
}

NB_MODULE(_dnnf, m) {
  m.doc() = "Native part of the dnnf Python package";

  m.def(
      "register_dialect",
      [](MlirContext context, bool load) {
        MlirDialectHandle handle = mlirGetDialectHandle__dnnf__();
        mlirDialectHandleRegisterDialect(handle, context);
        if (load)
          mlirDialectHandleLoadDialect(handle, context);
      },
      nb::arg("context").none() = nb::none(), nb::arg("load") = true,
      "Registers (and by default loads) the dnnf dialect in `context`.");

  m.def(
      "register_dialects",
      [](MlirDialectRegistry registry) { dnnfRegisterDialect(registry); },
      nb::arg("registry"), "Inserts the dnnf dialect into a DialectRegistry.");

  m.def("register_passes", &dnnfRegisterPasses,
        "Registers the dnnf passes with the global pass registry, so that "
        "PassManager.parse() knows them.");

  m.def(
      "compute_mapping_type",
      [](MlirOperation op) {
        return mappingName(dnnfOperationComputeMappingType(op));
      },
      nb::arg("operation"),
      "The mapping type computed from the op's semantics and shapes, as a "
      "string, or None when the op is not a dnnf compute op.");

  m.def(
      "stored_mapping_type",
      [](MlirOperation op) {
        return mappingName(dnnfOperationGetStoredMappingType(op));
      },
      nb::arg("operation"),
      "The op's stored `mapping` attribute as a string, or None.");
}
