#!/usr/bin/env bash
# Builds and runs every example from a clean copy, as a user project would be: standalone (not a module
# of the reactor), against the artifacts installed in the local repository only (`mvn -o`), so run
# `./mvnw -B -ntp -o install -DskipTests` first. Asserts each example's printed story.
#   examples/run-examples.sh            # with the JDK on PATH / JAVA_HOME
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
mvn="$repo/mvnw"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "run-examples: $*" >&2
  exit 1
}

# expect FILE LINE...: every LINE appears in FILE as a whole line, else fail showing the output.
expect() {
  local file="$1"; shift
  for line in "$@"; do
    if ! grep -qxF -- "$line" "$file"; then
      echo "---- output of $name:" >&2
      cat "$file" >&2
      fail "$name: expected the line \"$line\" in its output (above)"
    fi
  done
}

# --- quickstart (docs/getting-started.md) ---
name=quickstart
# On the JDK in use, then on every other JDK named in METAXY_EXAMPLE_JDKS (default: a JDK 25 under
# /usr/lib/jvm, where this machine image has one): the getting-started doc promises JDK 17 and 25.
extra_jdks="${METAXY_EXAMPLE_JDKS-$(ls -d /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* 2>/dev/null || true)}"
fetched=0
for jdk in "" $extra_jdks; do
  label="${jdk:-default JDK}"
  rm -rf "$work/$name"
  cp -r "$repo/examples/quickstart" "$work/$name"
  rm -rf "$work/$name/target"
  (
    if [ -n "$jdk" ]; then export JAVA_HOME="$jdk" PATH="$jdk/bin:$PATH"; fi
    cd "$work/$name"
    if [ "$fetched" = 0 ]; then
      # A user's first build downloads the third-party libraries the example needs and the reactor may
      # not have (the reactor pins some transitive versions the example resolves as their poms say,
      # e.g. jOOQ's reactive-streams): resolve them online once. Metaxy's own artifacts exist only in
      # the local repository, so they still come from this build's install.
      "$mvn" -B -ntp -q -f pom.xml dependency:resolve >/dev/null \
        || fail "$name: cannot resolve its dependencies"
    fi
    "$mvn" -B -ntp -o -q -f pom.xml verify || fail "$name ($label): mvn verify failed"
    if [ "$fetched" = 0 ]; then
      # The reactor's build never runs exec-maven-plugin, so a fresh machine may not have it: fetch the
      # plugin alone (its help goal resolves no project dependency), then run offline like the build.
      "$mvn" -B -ntp -q -f pom.xml exec:help >/dev/null || fail "$name: cannot fetch exec-maven-plugin"
    fi
    "$mvn" -B -ntp -o -q -f pom.xml exec:exec > "$work/$name.out" 2>&1 \
      || { cat "$work/$name.out" >&2; fail "$name ($label): mvn exec:exec failed"; }
  )
  fetched=1
  expect "$work/$name.out" \
    "wrote 3 videos" \
    "transcript: 3 new, 0 stale, computed [v1, v2, v3]" \
    "transcript: 0 new, 0 stale, computed []" \
    "changed the audio of v2 and the frames of v3" \
    "transcript: 0 new, 1 stale, computed [v2]"
  javabin="${jdk:+$jdk/bin/}java"
  echo "run-examples: $name OK on $label ($("$javabin" -version 2>&1 | head -1))"
done
cat "$work/$name.out"

# mx on the example, when the CLI's jar is built (it is after `install`).
if ls "$repo"/cli/target/metaxy-cli-*-all.jar >/dev/null 2>&1; then
  (cd "$work/$name" && MX_CDS=0 "$repo/cli/src/main/sh/mx" list features) > "$work/$name.mx" 2>&1 \
    || { cat "$work/$name.mx" >&2; fail "$name: mx list features failed"; }
  grep -q "quickstart/transcript" "$work/$name.mx" && grep -q "quickstart/video" "$work/$name.mx" \
    || { cat "$work/$name.mx" >&2; fail "$name: mx list features did not list both features"; }
  (cd "$work/$name" && MX_CDS=0 "$repo/cli/src/main/sh/mx" metadata status --all-features) > "$work/$name.mx" 2>&1 \
    || { cat "$work/$name.mx" >&2; fail "$name: mx metadata status failed"; }
  # After the story every transcript is up to date: 3 materialized, 0 missing, 0 stale, 0 orphaned.
  grep -qE 'quickstart/transcript +│ 3 +│ 0 +│ 0 +│ 0 ' "$work/$name.mx" \
    || { cat "$work/$name.mx" >&2; fail "$name: mx metadata status does not show 3 up-to-date transcripts"; }
  echo "run-examples: $name mx list features, mx metadata status OK"
else
  echo "run-examples: $name: cli/target/metaxy-cli-*-all.jar not built, mx not checked"
fi
