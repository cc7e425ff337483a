package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;
import io.regmgr.Filter;
import io.regmgr.ServiceEntry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One monitor diff at 10,000 services: the index after one modification against the previous view. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ViewDiffBenchmark {
    private static final int SERVICES = 10_000;
    private final Filter filter = Filter.of("kind", "app");
    private Map<String, ServiceEntry> before;
    private List<ServiceEntry> index;

    @Setup
    public void setUp() {
        before = new LinkedHashMap<>();
        index = new ArrayList<>(SERVICES);
        for (int i = 0; i < SERVICES; i++) {
            ServiceEntry e = ServiceEntry.of("tcp!host" + i + "!8080", "kind", i % 2 == 0 ? "app" : "db", "n", Integer.toString(i));
            index.add(e);
            if (i % 2 == 0) {
                before.put(e.name(), e);
            }
        }
        index.set(42, ServiceEntry.of("tcp!host42!8080", "kind", "app", "n", "changed"));
    }

    @Benchmark
    public ViewDiff.Result diffOneModificationAt10000() {
        return ViewDiff.diff(before, index, filter, ChangeOrigin.LIVE);
    }
}
