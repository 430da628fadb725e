#!/usr/bin/env bash
# Compares two builds of the connector side by side in one run, alternating them: OLD,
# NEW, OLD, NEW, ... for PAIRS pairs, each a fresh process. A jar given as DIR/app.jsa
# beside DIR/<jar> runs extracted with that CDS archive (see scripts/cds-archive.sh).
#   scripts/benchmark-compare.sh OLD NEW [PAIRS=2] [SENDER=java|node] [PHASE=load|one|unchanged]
# OLD and NEW: a jar, or a directory made by scripts/cds-archive.sh. OLD_ENV and NEW_ENV
# add environment variables to each ("K=V K=V"); OTEL_EXPORTER_OTLP_ENDPOINT=sink points
# one at an OTLP receiver in the benchmark, for tracing on against tracing off.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1; new=$2; pairs=${3:-2}; sender=${4:-java}; phase=${5:-load}

./mvnw -q -B -Dspring-javaformat.skip=true test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt

run() {
  local label=$1 build=$2 env=$3 jar dir opts=""
  if [ -d "$build" ]; then
    dir=$build; jar=$(ls "$build"/*.jar | head -1); opts="-XX:SharedArchiveFile=app.jsa -Xshare:auto"
  else
    dir=.; jar=$build
  fi
  java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    com.portaone.nsps.hubspot.CompareBenchmark "$label" "$jar" "$dir" "$opts" "$sender" "$phase" "$env" | grep '^COMPARE'
}

for i in $(seq 1 "$pairs"); do
  run "old#$i" "$old" "${OLD_ENV:-}"
  run "new#$i" "$new" "${NEW_ENV:-}"
done
