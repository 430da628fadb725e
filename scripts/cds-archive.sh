#!/usr/bin/env bash
# Makes a Class Data Sharing archive for a connector jar, as the Dockerfile does: the jar
# extracted (Spring Boot's tools jar mode), then a training run that starts the
# application context and exits. Run the result from that directory:
#   cd DIR && java -XX:SharedArchiveFile=app.jsa -jar <jar>
#   scripts/cds-archive.sh JAR DIR
set -euo pipefail
jar=$(realpath "$1"); dir=$2
rm -rf "$dir"
java -Djarmode=tools -jar "$jar" extract --destination "$dir"
cd "$dir"
ACCESS_TOKEN=training API_TOKEN=training \
  java -XX:ArchiveClassesAtExit=app.jsa -Dspring.context.exit=onRefresh -jar "$(basename "$jar")" > training.log 2>&1
ls -la app.jsa
