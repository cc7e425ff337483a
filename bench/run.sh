#!/usr/bin/env bash
# Scenario harnesses against the embedded registry on loopback; each prints medians (and p99 for
# latencies) over repeated runs. Not part of the test command.
#
#   bash bench/run.sh registry     9P requests/s (1 and 8 pipelined clients), index read at 10,000 services
#   bash bench/run.sh transports   find round trip, register-until-visible, registrations/s, per transport
#   bash bench/run.sh manager      restore time after a registry restart, change-to-listener latency
#   bash bench/run.sh change [off] another client's registration -> added() under the SIMULATED real-registry
#                                  cost model (or off), 0/1,000/10,000 other services x 1/10/100 monitors,
#                                  as ratios against the Perl-style baseline measured in the same run
#   bash bench/run.sh scale        9P at scale: restore and latency by services, 10,000 registrations,
#                                  1,000-monitor fan-out, heap per service; writes docs/benchmarks.png
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  registry)   main=io.regmgr.runtime.bench.EmbeddedRegistryThroughput ;;
  transports) main=io.regmgr.runtime.bench.TransportFigures ;;
  manager)    main=io.regmgr.runtime.bench.ManagerFigures ;;
  scale)      main=io.regmgr.runtime.bench.ScaleFigures ;;
  change)     main=io.regmgr.runtime.bench.ChangeFigures ;;
  *) echo "usage: bash bench/run.sh registry|transports|manager|change|scale" >&2; exit 2 ;;
esac
# One invocation, so that regmgr-api resolves to this checkout's build, never to a jar in ~/.m2.
./mvnw -B -q -pl runtime -am test-compile dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Djava.util.logging.config.file=/dev/null -cp "runtime/target/classes:runtime/target/test-classes:$(cat runtime/target/bench.classpath)" "$main" "${@:2}"
