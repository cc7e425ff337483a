#!/usr/bin/env bash
# Run by the build (runtime/pom.xml, package phase, after the launcher jar and its class-data-sharing
# archive): writes TARGET/regmgr-registry, the standalone registry's launcher script, and, where a
# JDK 25 or later is installed, TARGET/regmgr-registry.aot, an ahead-of-time cache (JEP 483/514/515)
# made by a training run of the launcher's start path (io.regmgr.runtime.server.StartupTraining) on
# that JDK. The script starts that JDK with the cache; without it (no JDK 25 found at build time, the
# JDK removed since, or REGMGR_NO_AOT set) it starts java on the PATH with the archive, as before.
#
#   bash make-launcher.sh TARGET SKIP_CACHES
#
# SKIP_CACHES is true with -Dregmgr.cds.skip: the script is written, no cache is made.
# Where it looks for the JDK, first found wins: REGMGR_AOT_JAVA (a java binary), JAVA_HOME,
# /usr/lib/jvm/*, SDKMAN's candidates, /opt/java/*: the highest feature release >= 25.
set -euo pipefail
target=$1
skip_caches=${2:-false}
jar=$target/regmgr-registry.jar
# The JVM options of the AOT path, the same at training and at run time (see docs/benchmarks.md,
# "Start and restart"): a serial collector (no GC threads to start for a small heap), no perf-data
# file, C1 only (the start path's compilations cost a fifth of the CPU until the first answer), and
# a method compiled after 10 times the usual count of calls or loops (the start path's compilations
# then cost 13 ms of CPU instead of 43; the registry's busy methods are compiled all the same).
# The script leaves the collector out when REGMGR_JAVA_OPTS selects one (the JVM refuses two; the
# cache loads under G1 and Parallel, and under ZGC the JVM warns and starts without it).
gc_flag="-XX:+UseSerialGC"
aot_flags="-XX:-UsePerfData -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 --sun-misc-unsafe-memory-access=allow"
# Diagnostic options, used only if the JDK accepts them: no method profiles recorded by the training
# (JEP 515; C1 alone has no use for them: a 0.35 MB smaller cache) and no "Training replay" thread
# at run time (its thread took 6.6 ms of CPU before the first answer, with nothing to replay).
training_flags="-XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining"
run_flags="-XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining"
main_class=io.regmgr.runtime.server.RegistryLauncher

feature() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

find_aot_java() {
  local best="" best_feature=0 java f
  for java in ${REGMGR_AOT_JAVA:-} ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java \
      "$HOME"/.sdkman/candidates/java/*/bin/java /opt/java/*/bin/java; do
    [ -x "$java" ] || continue
    f=$(feature "$java")
    if [ "${f:-0}" -ge 25 ] && [ "$f" -gt "$best_feature" ]; then
      best=$(readlink -f "$java")
      best_feature=$f
    fi
  done
  echo "$best"
}

# The stamp, written last: the script uses the cache or the archive only if it is not newer than the
# stamp (a crash or power loss while one was written, or a copy over it, leaves it newer or no stamp).
stamp=$target/regmgr-registry.stamp
aot_java=""
rm -f "$target/regmgr-registry.aot" "$stamp"
if [ "$skip_caches" != true ]; then
  aot_java=$(find_aot_java)
fi
if [ -n "$aot_java" ]; then
  # shellcheck disable=SC2086 # the flags are words
  if ! "$aot_java" $training_flags $run_flags -version > /dev/null 2>&1; then
    training_flags=""
    run_flags=""
  fi
  # shellcheck disable=SC2086 # the flags are words
  if ! "$aot_java" -XX:AOTCacheOutput="$target/regmgr-registry.aot" $gc_flag $aot_flags $training_flags -cp "$jar" \
      io.regmgr.runtime.server.StartupTraining > "$target/regmgr-registry.aot.log" 2>&1 \
      || [ ! -f "$target/regmgr-registry.aot" ]; then
    echo "make-launcher: the ahead-of-time cache training on $aot_java failed:" >&2
    cat "$target/regmgr-registry.aot.log" >&2
    exit 1
  fi
  echo "make-launcher: $target/regmgr-registry.aot made with $aot_java"
else
  if [ -f "$target/regmgr-registry.jsa" ]; then
    echo "make-launcher: no ahead-of-time cache (no JDK 25 or later found, or -Dregmgr.cds.skip):" \
      "$target/regmgr-registry starts java on the PATH with the class-data-sharing archive"
  else
    echo "make-launcher: no ahead-of-time cache and no class-data-sharing archive (-Dregmgr.cds.skip, or none" \
      "made): $target/regmgr-registry starts java on the PATH without them"
  fi
fi

# The archive's size as made: the script uses it only if it still has that size (JDK 17 dies with
# SIGBUS on a truncated archive instead of starting without it, found by our breaker).
jsa_size=""
if [ -f "$target/regmgr-registry.jsa" ]; then
  jsa_size=$(wc -c < "$target/regmgr-registry.jsa" | tr -d ' ')
fi

cat > "$target/regmgr-registry" <<SCRIPT
#!/bin/sh
# The standalone registry ($main_class; arguments: --help), written by
# the build (runtime/src/build/make-launcher.sh). It starts the JDK that made the ahead-of-time cache
# beside it, with that cache; if that JDK or the cache is gone, the cache is newer than the build's
# stamp (regmgr-registry.stamp), or REGMGR_NO_AOT is set, java on the PATH with the class-data-sharing
# archive (if it is the size the build made and not newer than the stamp). A file newer than the
# stamp was written after the build (a crash or power loss while writing leaves zeroed pages, which
# crash or hang the JVM): left out with one line on stderr. Bit rot without a change of mtime is not
# detected (-XX:+VerifySharedSpaces would, at 100-200 ms a start). REGMGR_JAVA_OPTS: more JVM options,
# after these, split on spaces, tabs and newlines (no quoting, no globbing); a collector there (or in
# JAVA_TOOL_OPTIONS / JDK_JAVA_OPTIONS) replaces the cache's serial one.
# -Dregmgr.launcher.command: the launcher's usage text names this script as the user ran it.
# Through a symbolic link too (e.g. one on the PATH): the jar, cache and archive are beside the script.
# No command substitution on the way to java unless \$0 is a link (the former readlink and dirname
# cost about 11 ms of each start, docs/benchmarks.md); -cp and the class, not -jar: no manifest read.
set -f
self=\$0
if [ -L "\$self" ]; then
  self=\$(readlink -f "\$self" 2>/dev/null || echo "\$self")
fi
case \$self in */*) dir=\${self%/*} ;; *) dir=. ;; esac
aot_java='$aot_java'
jsa_size='$jsa_size'
# fresh FILE: FILE is not newer than the build's stamp; else one line on stderr naming it and why
fresh() {
  if [ ! -f "\$dir/regmgr-registry.stamp" ]; then
    echo "registry: \$1 has no regmgr-registry.stamp beside it (the build did not finish): starting without it (slower)" >&2
    return 1
  elif [ "\$1" -nt "\$dir/regmgr-registry.stamp" ]; then
    echo "registry: \$1 was written after the build (newer than regmgr-registry.stamp: damaged or replaced): starting without it (slower)" >&2
    return 1
  fi
}
if [ -z "\${REGMGR_NO_AOT:-}" ] && [ -n "\$aot_java" ] && [ -x "\$aot_java" ] && [ -f "\$dir/regmgr-registry.aot" ] \\
    && fresh "\$dir/regmgr-registry.aot"; then
  gc=$gc_flag
  # a collector given by the user (words split as java will get them: spaces, tabs, newlines) wins
  for word in \${REGMGR_JAVA_OPTS:-} \${JAVA_TOOL_OPTIONS:-} \${JDK_JAVA_OPTIONS:-}; do
    case \$word in
      -XX:+UseSerialGC | -XX:+UseParallelGC | -XX:+UseG1GC | -XX:+UseZGC | -XX:+UseShenandoahGC | -XX:+UseEpsilonGC) gc="" ;;
    esac
  done
  exec "\$aot_java" -XX:AOTCache="\$dir/regmgr-registry.aot" \$gc $aot_flags $run_flags -Dregmgr.launcher.command="\$0" \${REGMGR_JAVA_OPTS:-} -cp "\$dir/regmgr-registry.jar" $main_class "\$@"
fi
archive=""
if [ -n "\$jsa_size" ] && [ "\$(wc -c < "\$dir/regmgr-registry.jsa" 2>/dev/null | tr -d ' ')" = "\$jsa_size" ]; then
  if fresh "\$dir/regmgr-registry.jsa"; then
    archive="-XX:SharedArchiveFile=\$dir/regmgr-registry.jsa"
  fi
elif [ -n "\$jsa_size" ]; then
  echo "registry: \$dir/regmgr-registry.jsa is missing or not the size the build made: starting without it (slower)" >&2
fi
exec java -Xshare:auto \${archive:+"\$archive"} -Dregmgr.launcher.command="\$0" \${REGMGR_JAVA_OPTS:-} -cp "\$dir/regmgr-registry.jar" $main_class "\$@"
SCRIPT
chmod +x "$target/regmgr-registry"
# Last: the cache and the archive above are complete (see the script's fresh).
touch "$stamp"
