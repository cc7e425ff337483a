package io.regmgr.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test client's framing, against a tiny in-test server that answers canned frames. */
class StyxTestClientTest {

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<byte[]> requests = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        server.setSoTimeout(StyxTestClient.TIMEOUT_MILLIS);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).as("fake server thread stopped").isTrue();
    }

    /** Accepts one connection and answers each request frame with {@code answer}, then closes. */
    private Future<?> serve(int requestCount, Function<byte[], byte[]> answer) {
        return executor.submit(() -> {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                for (int i = 0; i < requestCount; i++) {
                    byte[] frame = new byte[4];
                    in.readFully(frame);
                    int size = (frame[0] & 0xFF) | (frame[1] & 0xFF) << 8 | (frame[2] & 0xFF) << 16
                            | (frame[3] & 0xFF) << 24;
                    frame = Arrays.copyOf(frame, size);
                    in.readFully(frame, 4, size - 4);
                    requests.add(frame);
                    out.write(answer.apply(frame));
                    out.flush();
                }
            }
            return null;
        });
    }

    @Test
    void versionSendsTheTversionFrameAndDecodesTheCannedRversion() throws Exception {
        // size[4] Rversion tag[2] msize[4] version[s]: NOTAG, 8192, "9P2000"
        byte[] rversion = HexFormat.of().parseHex("13000000 65 ffff 00200000 0600 395032303030".replace(" ", ""));
        Future<?> done = serve(1, request -> rversion);
        try (StyxTestClient client = StyxTestClient.connect(server.getLocalPort())) {
            StyxMessage reply = client.version(8216);
            assertThat(reply).as("reply to Tversion").isEqualTo(new Rversion(StyxMessage.NOTAG, 8192, "9P2000"));
            assertThat(client.msize()).as("negotiated msize").isEqualTo(8192);
            assertThat(HexFormat.of().formatHex(requests.get(0)))
                    .as("bytes of the Tversion sent")
                    .isEqualTo("13000000 64 ffff 18200000 0600 395032303030".replace(" ", ""));
            done.get(10, TimeUnit.SECONDS);
            assertThat(client.isClosedByPeer()).as("closed after the fake server finished").isTrue();
        }
    }

    @Test
    void readAllReadsAtIncreasingOffsetsUntilAnEmptyRread() throws Exception {
        byte[] hello = "hello, ".getBytes(StandardCharsets.UTF_8);
        byte[] world = "world".getBytes(StandardCharsets.UTF_8);
        Future<?> done = serve(3, request -> {
            Tread read = (Tread) StyxCodec.decode(request);
            byte[] data = read.offset() == 0 ? hello : read.offset() == hello.length ? world : new byte[0];
            return StyxCodec.encode(new Rread(read.tag(), data));
        });
        try (StyxTestClient client = StyxTestClient.connect(server.getLocalPort())) {
            assertThat(client.readAll(5)).as("text read through three Treads").isEqualTo("hello, world");
            done.get(10, TimeUnit.SECONDS);
        }
        assertThat(requests.stream().map(f -> (Tread) StyxCodec.decode(f)).map(r -> r.offset()))
                .as("offsets of the Treads")
                .containsExactly(0L, (long) hello.length, (long) (hello.length + world.length));
        assertThat(requests.stream().map(f -> ((Tread) StyxCodec.decode(f)).count()).distinct())
                .as("count of each Tread: msize - IOHDRSZ")
                .containsExactly(StyxTestClient.DEFAULT_MSIZE - StyxCodec.IOHDRSZ);
    }
}
