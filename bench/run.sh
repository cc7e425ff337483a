#!/usr/bin/env bash
# Scenario harnesses against the embedded registry on loopback; each prints medians (and p99 for
# latencies) over repeated runs. Not part of the test command.
#
#   bash bench/run.sh registry     9P requests/s (1 and 8 pipelined clients), index read at 10,000 services
#   bash bench/run.sh transports   find round trip, register-until-visible, registrations/s, per transport
#   bash bench/run.sh manager      restore time after a registry restart, change-to-listener latency
#   bash bench/run.sh scale        9P at scale: restore and latency by services, 10,000 registrations,
#                                  1,000-monitor fan-out, heap per service; writes docs/benchmarks.png
#   bash bench/run.sh metrics      change-to-listener with and without OpenTelemetry metrics, same run: medians, overhead
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  registry)   main=io.regmgr.runtime.bench.EmbeddedRegistryThroughput ;;
  transports) main=io.regmgr.runtime.bench.TransportFigures ;;
  manager)    main=io.regmgr.runtime.bench.ManagerFigures ;;
  scale)      main=io.regmgr.runtime.bench.ScaleFigures ;;
  metrics)    main=io.regmgr.runtime.bench.MetricsOverhead ;;
  *) echo "usage: bash bench/run.sh registry|transports|manager|scale|metrics" >&2; exit 2 ;;
esac
# One invocation, so that regmgr-api resolves to this checkout's build, never to a jar in ~/.m2.
./mvnw -B -q -pl runtime -am test-compile dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Djava.util.logging.config.file=/dev/null -cp "runtime/target/classes:runtime/target/test-classes:$(cat runtime/target/bench.classpath)" "$main"
