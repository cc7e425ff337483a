#!/usr/bin/env bash
# JMH micro-benchmarks (module benchmarks/, built only with -Pbench): 9P codec, quoting, one monitor
# diff at 10,000 services. Extra arguments go to JMH, e.g. a benchmark regex or -f 1 -wi 1 -i 3.
#
#   bash bench/jmh.sh
#   bash bench/jmh.sh ViewDiff
set -euo pipefail
cd "$(dirname "$0")/.."
# one reactor build, so that the classpath names this checkout's api and runtime jars
./mvnw -B -q -Pbench -pl benchmarks -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/jmh.classpath
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/jmh.classpath)" org.openjdk.jmh.Main "$@"
