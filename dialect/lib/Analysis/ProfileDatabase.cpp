//===- ProfileDatabase.cpp - Measured latencies of ◐ fusion cells ---------===//

#include "dnnf/Analysis/ProfileDatabase.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace mlir::dnnf;

std::string ProfileDatabase::entryId(StringRef cpu, int64_t threads,
                                     StringRef key) {
  return (cpu + "\n" + Twine(threads) + "\n" + key).str();
}

FailureOr<ProfileDatabase>
ProfileDatabase::load(StringRef path,
                      function_ref<InFlightDiagnostic()> emitError) {
  ProfileDatabase db;
  if (!llvm::sys::fs::exists(path))
    return db;
  auto fail = [&](const Twine &what) -> FailureOr<ProfileDatabase> {
    emitError() << "profiling database '" << path << "': " << what;
    return failure();
  };
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return fail("cannot read it: " + buffer.getError().message());
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return fail("not JSON: " + llvm::toString(json.takeError()));
  const llvm::json::Object *root = json->getAsObject();
  if (!root)
    return fail("expected a JSON object at the top level");
  std::optional<StringRef> format = root->getString("format");
  if (!format || *format != kFormat)
    return fail("field 'format' is not \"" + kFormat + "\"");
  std::optional<int64_t> version = root->getInteger("version");
  if (!version || *version != kVersion)
    return fail("unsupported 'version' (this dnnf reads version " +
                Twine(kVersion) + ")");
  const llvm::json::Array *list = root->getArray("entries");
  if (!list)
    return fail("field 'entries' is not an array");
  for (auto [i, value] : llvm::enumerate(*list)) {
    const llvm::json::Object *entry = value.getAsObject();
    std::optional<StringRef> cpu =
        entry ? entry->getString("cpu") : std::nullopt;
    std::optional<StringRef> key =
        entry ? entry->getString("key") : std::nullopt;
    std::optional<int64_t> threads =
        entry ? entry->getInteger("threads") : std::nullopt;
    std::optional<double> fused =
        entry ? entry->getNumber("fused_us") : std::nullopt;
    std::optional<double> unfused =
        entry ? entry->getNumber("unfused_us") : std::nullopt;
    if (!cpu || !key || !threads || !fused || !unfused)
      return fail("entry " + Twine(i) +
                  " needs strings 'cpu' and 'key', an integer 'threads' and "
                  "numbers 'fused_us' and 'unfused_us'");
    if (!(*fused > 0) || !(*unfused > 0))
      return fail("entry " + Twine(i) + " (key " + *key +
                  "): latencies must be positive");
    // A later entry for the same candidate replaces an earlier one.
    db.entries[entryId(*cpu, *threads, *key)] = ProfileEntry{*fused, *unfused};
  }
  db.found = true;
  return db;
}

std::optional<ProfileEntry>
ProfileDatabase::lookup(StringRef cpu, int64_t threads, StringRef key) const {
  auto it = entries.find(entryId(cpu, threads, key));
  if (it == entries.end())
    return std::nullopt;
  return it->second;
}
