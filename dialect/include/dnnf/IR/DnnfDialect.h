//===- DnnfDialect.h - dnnf dialect -----------------------------*- C++ -*-===//

#ifndef DNNF_IR_DNNFDIALECT_H
#define DNNF_IR_DNNFDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dnnf/IR/DnnfDialect.h.inc"

#endif // DNNF_IR_DNNFDIALECT_H
