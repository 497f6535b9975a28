#!/usr/bin/env bash
# Builds the benchmark jar and runs the paper benchmark matrix, rewriting BENCHMARKS.md.
# Extra arguments go to PaperBenchmark (e.g. --sizes 10k,100k --rounds 5); see --help.
# Run on a quiet machine: the timings are wall-clock.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# -am builds the modules the benchmark depends on from this checkout; nothing is installed to ~/.m2.
mvn -q -pl benchmarks -am package -DskipTests
exec java -jar benchmarks/target/benchmarks.jar --workdir benchmarks/target/bench-data --out BENCHMARKS.md "$@"
