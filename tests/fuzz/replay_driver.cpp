// Standalone driver for libFuzzer targets, so every fuzz target also runs under g++ in
// `make test`: it replays the seed corpus, then feeds a bounded number of deterministic
// mutations of it (bit flips, truncations, byte insertions, splices). Longer, coverage-guided
// runs use clang's libFuzzer on the same target (see tests/fuzz/README.md).
//
// usage: fuzz_<name> [--iterations N] [--seed S] CORPUS_DIR_OR_FILE...
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::string> load_corpus(const std::vector<std::string>& paths) {
  std::vector<std::string> inputs;
  auto add = [&](const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  for (const auto& path : paths) {
    if (std::filesystem::is_directory(path)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());  // deterministic order
      for (const auto& file : files) add(file);
    } else if (std::filesystem::is_regular_file(path)) {
      add(path);
    }
  }
  if (inputs.empty()) inputs.emplace_back();
  return inputs;
}

std::string mutate(const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  std::string data = corpus[rng() % corpus.size()];
  int rounds = 1 + int(rng() % 8);
  for (int r = 0; r < rounds; ++r) {
    switch (rng() % 6) {
      case 0:  // flip a bit
        if (!data.empty()) data[rng() % data.size()] ^= char(1u << (rng() % 8));
        break;
      case 1:  // truncate
        if (!data.empty()) data.resize(rng() % data.size());
        break;
      case 2: {  // insert random bytes
        size_t at = data.empty() ? 0 : rng() % (data.size() + 1);
        std::string bytes(1 + rng() % 16, '\0');
        for (auto& b : bytes) b = char(rng());
        data.insert(at, bytes);
        break;
      }
      case 3: {  // overwrite with an interesting byte
        static constexpr char kInteresting[] = {'\0', '\xff', '\x7f', '"', '<', '>', '\r', '\n', '-', '/'};
        if (!data.empty()) data[rng() % data.size()] = kInteresting[rng() % sizeof(kInteresting)];
        break;
      }
      case 4: {  // splice with another input
        const std::string& other = corpus[rng() % corpus.size()];
        if (!other.empty()) {
          size_t from = rng() % other.size();
          data.insert(data.empty() ? 0 : rng() % data.size(), other.substr(from, rng() % 64));
        }
        break;
      }
      case 5: {  // duplicate a chunk
        if (data.size() > 1) {
          size_t from = rng() % data.size();
          size_t length = std::min<size_t>(rng() % 128, data.size() - from);
          data.insert(rng() % data.size(), data.substr(from, length));
        }
        break;
      }
    }
  }
  return data;
}

}  // namespace

int main(int argc, char** argv) {
  long iterations = 2000;
  uint64_t seed = 1;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--iterations") && i + 1 < argc) iterations = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else paths.emplace_back(argv[i]);
  }
  auto corpus = load_corpus(paths);
  for (const auto& input : corpus) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
  std::mt19937_64 rng(seed);
  for (long i = 0; i < iterations; ++i) {
    std::string input = mutate(corpus, rng);
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
  std::printf("replayed %zu corpus inputs and %ld mutations\n", corpus.size(), iterations);
  return 0;
}
