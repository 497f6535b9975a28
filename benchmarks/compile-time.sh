#!/usr/bin/env bash
# Builds this checkout's modules (into their target directories; nothing is installed) and measures what the
# annotation processor adds to a build, rewriting the "Compile time" section of BENCHMARKS.md.
# Extra arguments go to CompileTimeBenchmark (e.g. --sizes 100,250,500 --runs 5 --warm 3); see --help.
# Run on a quiet machine: the timings are wall-clock (CPU times are reported too).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
exec java -cp benchmarks/target/benchmarks.jar io.metaxy.benchmarks.CompileTimeBenchmark \
    --workdir benchmarks/target/compile-time-data --peer benchmarks/target/compile-time/autovalue \
    --out BENCHMARKS.md "$@"
