#!/usr/bin/env bash
# Figures for the two transports against the embedded registry on loopback: find round trip,
# register-until-visible, registrations per second. Usage: bash bench/transports.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl runtime -am test-compile -DskipTests
./mvnw -B -q -pl runtime dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "runtime/target/classes:runtime/target/test-classes:$(cat runtime/target/bench.classpath)" \
  io.regmgr.runtime.bench.TransportFigures
