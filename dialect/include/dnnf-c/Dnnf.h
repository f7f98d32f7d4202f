/*===- dnnf-c/Dnnf.h - C API of the dnnf dialect ------------------*- C -*-===*\
|* Used by the Python extension, which links the bindings' MLIR copy.         *|
\*===----------------------------------------------------------------------===*/

#ifndef DNNF_C_DNNF_H
#define DNNF_C_DNNF_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Dnnf, dnnf);

/// Inserts the dnnf dialect into `registry`.
MLIR_CAPI_EXPORTED void dnnfRegisterDialect(MlirDialectRegistry registry);

/// Registers the dnnf passes in the global pass registry (idempotent).
MLIR_CAPI_EXPORTED void dnnfRegisterPasses(void);

/// Returns the mapping type that `op` computes from its semantics and
/// shapes (0 one_to_one, 1 reorganize, 2 shuffle, 3 one_to_many,
/// 4 many_to_many), or -1 when `op` is not a dnnf compute op.
MLIR_CAPI_EXPORTED int dnnfOperationComputeMappingType(MlirOperation op);

/// As above, for the stored `mapping` attribute; -1 when absent.
MLIR_CAPI_EXPORTED int dnnfOperationGetStoredMappingType(MlirOperation op);

#ifdef __cplusplus
}
#endif

#endif /* DNNF_C_DNNF_H */
