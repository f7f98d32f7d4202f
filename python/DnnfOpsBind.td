// Entry point for mlir-tblgen -gen-python-op-bindings / -gen-python-enum-bindings.
#ifndef DNNF_PYTHON_BIND_TD
#define DNNF_PYTHON_BIND_TD

include "dnnf/IR/DnnfOps.td"

#endif
