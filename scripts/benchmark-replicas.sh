#!/usr/bin/env bash
# Several packaged connectors sharing one Redis (REDIS_URL's, else a redis-server started
# from the test classpath) against one HubSpot stand-in (LIMIT requests per rolling 10 s,
# 150 ms ±20% latency), C NSPS-like senders spread over the replicas. W events warm the
# JIT of every replica first; N are measured.
#   scripts/benchmark-replicas.sh [REPLICAS=3] [N=6000] [C=300] [W=6000] [LIMIT=100]
set -euo pipefail
cd "$(dirname "$0")/.."
replicas=${1:-3}; events=${2:-6000}; senders=${3:-300}; warmup=${4:-6000}; limit=${5:-100}

./mvnw -q -B -DskipTests -Dspring-javaformat.skip=true package
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  com.portaone.nsps.hubspot.ReplicasBenchmark "$replicas" "$events" "$senders" "$warmup" "$limit"
