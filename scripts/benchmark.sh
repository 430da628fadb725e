#!/usr/bin/env bash
# Sync benchmark: the packaged connector against a local HubSpot stand-in
# (LIMIT requests per rolling 10 s, 150 ms latency, ±20% with more than one sender),
# N distinct SIM/Created events from C concurrent NSPS-like senders that redeliver 1 s
# after a 429, 503 or timeout. A warm-up run (W events, not measured) lets the JIT
# compile the hot paths first. Prints throughput, latency, HubSpot's view, the
# connector's own CPU per event and, with one sender, the direct round trip to the
# stand-in measured in the same run.
#   scripts/benchmark.sh [batch|single] [N=5000] [C=300] [W=3000] [LIMIT=100] [REPEATS=1]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-batch}; events=${2:-5000}; senders=${3:-300}; warmup=${4:-3000}; limit=${5:-100}; repeats=${6:-1}

./mvnw -q -B -DskipTests -Dspring-javaformat.skip=true package
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  com.portaone.nsps.hubspot.SyncBenchmark "$mode" "$events" "$senders" "$warmup" "$limit" "$repeats"
