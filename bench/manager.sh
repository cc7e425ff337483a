#!/usr/bin/env bash
# Figures for the manager against the embedded registry on loopback, per transport: restore time
# after a registry restart (100 services, 10 monitors) and the latency from another client's
# registration to a monitor's added(). Usage: bash bench/manager.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl runtime -am test-compile -DskipTests
./mvnw -B -q -pl runtime dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -Djava.util.logging.config.file=/dev/null -cp "runtime/target/classes:runtime/target/test-classes:$(cat runtime/target/bench.classpath)" \
  io.regmgr.runtime.bench.ManagerFigures
