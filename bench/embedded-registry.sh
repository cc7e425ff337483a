#!/usr/bin/env bash
# Quick figures for the embedded registry: 9P requests/s (1 and 8 pipelined clients) and the cost
# of an index read at 10,000 services. Usage: bash bench/embedded-registry.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl runtime -am test-compile -DskipTests
./mvnw -B -q -pl runtime dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -cp "runtime/target/classes:runtime/target/test-classes:$(cat runtime/target/bench.classpath)" \
  io.regmgr.runtime.bench.EmbeddedRegistryThroughput
