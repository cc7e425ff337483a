#!/usr/bin/env bash
# Scenario harnesses against the embedded registry on loopback; each prints medians (and p99 for
# latencies) over repeated runs. Not part of the test command.
#
#   bash bench/run.sh registry     9P requests/s (1 and 8 pipelined clients), index read at 10,000 services
#   bash bench/run.sh transports   find round trip, register-until-visible, registrations/s, per transport
#   bash bench/run.sh manager      restore time after a registry restart, change-to-listener latency
#   bash bench/run.sh change [off] another client's registration -> added() under the SIMULATED real-registry
#                                  cost model (or off), 0/1,000/10,000 other services x 1/10/100 monitors,
#                                  as ratios against the Perl-style baseline measured in the same run;
#                                  "change inferno|off OTHERS MONITORS" runs that one row only; a profile's
#                                  name anywhere (default|exported|direct) runs on that registry profile
#                                  ("change exported": export's concurrent service, 9P bursts sent again;
#                                  "pool" anywhere: our bridge keeps find connections opened in advance,
#                                  the opt-in ConnectorOptions.bridgeFindPool(16))
#   bash bench/run.sh restore      restore after a restart (100 services, 10 monitors) from the registry accepting,
#                                  9P and bridge, this reconnect schedule and the previous one, with the SIMULATED
#                                  real-registry cost model and without; a herd of 20 managers x 5 services
#   bash bench/run.sh scale        9P at scale: restore and latency by services, 10,000 registrations,
#                                  1,000-monitor fan-out, heap per service; writes docs/benchmarks.png
#   bash bench/run.sh auth         Inferno authentication: 9P connect with and without the rsa-1024 handshake,
#                                  change-to-listener latency with rc4_256 sha1 / sha1 / none records and plain 9P
#   bash bench/run.sh startup [N [R]]  the standalone registry, each way of starting it (the README's script:
#                                  JDK 25 + AOT cache; its JDK 17 fallback; java + CDS archive; java -jar):
#                                  command -> 9P answered (N starts each, default 20), CPU; in-process restart();
#                                  restart with a client retrying once a second (R restarts each, default 10);
#                                  where the script's start goes (-Dregmgr.startup.trace, median per step);
#                                  a third word, script (startup N R script), runs the README's script only
#   bash bench/run.sh metrics      change-to-listener with and without OpenTelemetry metrics, same run: medians, overhead
#
# Each builds what it needs in one reactor build of this checkout (api, runtime), so it works on a
# fresh clone without this project's artifacts in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
phase=test-compile
case "${1:-}" in
  registry)   main=io.regmgr.runtime.bench.EmbeddedRegistryThroughput ;;
  transports) main=io.regmgr.runtime.bench.TransportFigures ;;
  manager)    main=io.regmgr.runtime.bench.ManagerFigures ;;
  restore)    main=io.regmgr.runtime.bench.RestoreFigures ;;
  scale)      main=io.regmgr.runtime.bench.ScaleFigures ;;
  change)     main=io.regmgr.runtime.bench.ChangeFigures ;;
  auth)       main=io.regmgr.runtime.bench.AuthFigures ;;
  startup)    main=io.regmgr.runtime.bench.StartupFigures; phase=package ;;  # the launcher jar, its archive, cache, script
  metrics)    main=io.regmgr.runtime.bench.MetricsOverhead ;;
  *) echo "usage: bash bench/run.sh registry|transports|manager|change|restore|scale|auth|startup [N [R [script]]]|metrics" >&2; exit 2 ;;
esac
# One invocation, so that regmgr-api resolves to this checkout's build, never to a jar in ~/.m2.
./mvnw -B -q -pl runtime -am "$phase" dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Djava.util.logging.config.file=/dev/null -cp "api/target/classes:runtime/target/classes:runtime/target/test-classes:$(cat runtime/target/bench.classpath)" "$main" "${@:2}"
