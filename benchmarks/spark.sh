#!/usr/bin/env bash
# Issue 19's figures: resolveUpdate of the paper benchmark's graphs on the same local Delta or Iceberg
# tables by the embedded engine and by Spark local[2] (io.metaxy.spark.bench.SparkBenchmark, in the
# spark module's test sources because it needs Spark, Delta Spark, Iceberg Spark and the embedded stores
# on one class path). See benchmarks/README.md, "Spark".
#
#   benchmarks/spark.sh [--sizes 1M,10M] [--rounds 3] [--graphs simple,wide] [--formats delta,iceberg]
#                       [--workdir DIR] [--out FILE]
#
# Defaults: --graphs simple, --formats delta,iceberg, --workdir benchmarks/target/spark-bench,
# --out <workdir>/spark-bench.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor build: the class path file names the other modules' target/classes (no install needed).
./mvnw -B -ntp -q -pl spark -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt -Dspotless.check.skip=true
cp="spark/target/test-classes:spark/target/classes:$(cat spark/target/bench-classpath.txt)"
opens=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
  java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
  sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
flags="$opens -Djdk.reflect.useDirectMethodHandle=false"
export MALLOC_ARENA_MAX=2
# shellcheck disable=SC2086
exec java -Xmx8g $flags "-Dbench.jvmFlags=$flags" -cp "$cp" io.metaxy.spark.bench.SparkBenchmark "$@"
