package io.regmgr.runtime.protocol;

import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The 9P codec and registry quoting: encode a registration write, decode an index read, quote and unquote a line. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CodecBenchmark {
    private final Twrite write = new Twrite(7, 3, 0,
            "tcp!host.example!8080 proto tcp kind app 'display name' 'my service'".getBytes(StandardCharsets.UTF_8));
    private final byte[] readFrame = StyxCodec.encode(new Rread(7, new byte[4096]));
    private final List<String> words = List.of("tcp!host.example!8080", "proto", "tcp", "display name", "it's mine");
    private final String line = Quoting.join(words);

    @Benchmark
    public byte[] encodeTwrite() {
        return StyxCodec.encode(write);
    }

    @Benchmark
    public StyxMessage decodeRread4k() {
        return StyxCodec.decode(readFrame);
    }

    @Benchmark
    public String quoteJoin() {
        return Quoting.join(words);
    }

    @Benchmark
    public List<String> unquote() {
        return Quoting.unquote(line);
    }
}
