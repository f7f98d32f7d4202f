//===- DnnfPlugin.cpp - dnnf as an mlir-opt plugin ------------------------===//
//
//   mlir-opt --load-dialect-plugin=libDnnfPlugin.so \
//            --load-pass-plugin=libDnnfPlugin.so \
//            --pass-pipeline='builtin.module(dnnf-classify)' in.mlir
//
//===----------------------------------------------------------------------===//

#include "dnnf/Conversion/Passes.h"
#include "dnnf/IR/DnnfDialect.h"
#include "dnnf/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

#include <mutex>

static void registerDnnfPassesOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    mlir::dnnf::registerDnnfPasses();
    mlir::dnnf::registerDnnfConversions();
  });
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Dnnf", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            registry->insert<mlir::dnnf::DnnfDialect>();
            registerDnnfPassesOnce();
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "DnnfPasses", LLVM_VERSION_STRING,
          []() { registerDnnfPassesOnce(); }};
}
