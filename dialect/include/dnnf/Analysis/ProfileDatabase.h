//===- ProfileDatabase.h - Measured latencies of ◐ fusion cells -*- C++ -*-===//
//
// DNNFusion decides the ◐ ("profile") cells of its fusion table by measured
// latency: a block B and a candidate op X fuse when the fused block B+X runs
// no slower than B and X as two kernels.  The measurements live in a
// profiling database, a JSON file that `dnnf compile --profile` fills on
// this machine:
//
//   {"format": "dnnf-profile-db", "version": 1,
//    "entries": [{"cpu": "sapphirerapids", "threads": 2, "key": "8c1f...",
//                 "ops": "dnnf.reduce_mean + dnnf.mul",
//                 "fused_us": 11.9, "unfused_us": 14.2}, ...]}
//
// An entry is keyed by the CPU (as LLVM names the host), the thread count
// of the generated code, and the candidate's key: a digest of the fused
// candidate's IR (its op kinds, attributes, shapes and element types, with
// weights elided) and of where B ends and X starts.  `dnnf-opt` only reads
// the database, so a pass run is deterministic.
//
//===----------------------------------------------------------------------===//

#ifndef DNNF_ANALYSIS_PROFILEDATABASE_H
#define DNNF_ANALYSIS_PROFILEDATABASE_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"

#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>

namespace mlir {
namespace dnnf {

/// One measured ◐ candidate, in microseconds.
struct ProfileEntry {
  double fusedUs = 0;
  double unfusedUs = 0;
  /// The database's verdict: the fused block is no slower, within
  /// `tolerance` (a fraction of the unfused time: differences inside the
  /// measurement noise go to fusion, which saves a kernel and an
  /// intermediate).
  bool fuses(double tolerance) const {
    return fusedUs <= unfusedUs * (1 + tolerance);
  }
};

/// The entries of a profiling database file.
class ProfileDatabase {
public:
  /// The value of the `format` field.
  static constexpr StringLiteral kFormat = "dnnf-profile-db";
  static constexpr int64_t kVersion = 1;

  /// Reads the database at `path`.  A file that does not exist is an empty
  /// database (`exists()` is false); a file that is not a database fails,
  /// with an error through `emitError` that names the file and the entry.
  static FailureOr<ProfileDatabase>
  load(StringRef path, function_ref<InFlightDiagnostic()> emitError);

  std::optional<ProfileEntry> lookup(StringRef cpu, int64_t threads,
                                     StringRef key) const;
  bool exists() const { return found; }
  size_t size() const { return entries.size(); }

private:
  static std::string entryId(StringRef cpu, int64_t threads, StringRef key);

  llvm::StringMap<ProfileEntry> entries;
  bool found = false;
};

} // namespace dnnf
} // namespace mlir

#endif // DNNF_ANALYSIS_PROFILEDATABASE_H
