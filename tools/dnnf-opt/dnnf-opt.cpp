//===- dnnf-opt.cpp - dnnf optimizer driver -------------------------------===//
//
// mlir-opt with every upstream dialect, extension and pass, plus dnnf.
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"
#include "dnnf/IR/DnnfDialect.h"
#include "dnnf/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::dnnf::registerDnnfPasses();
  mlir::dnnf::registerDnnfConversions();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::dnnf::DnnfDialect>();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "dnnf optimizer driver\n", registry));
}
