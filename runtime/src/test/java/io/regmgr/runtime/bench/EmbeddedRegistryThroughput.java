package io.regmgr.runtime.bench;

import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxFrameReader;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.server.EmbeddedRegistry;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A quick scenario harness (not a test): how many 9P requests per second the embedded registry
 * answers (one pipelined client, then 8), and what a read of {@code index} costs at 10,000
 * services. Prints medians of several runs. Run with {@code bash bench/run.sh registry}.
 */
public final class EmbeddedRegistryThroughput {
    private static final int WINDOW = 64;
    private static final int REQUESTS = 200_000;
    private static final int RUNS = 5;

    private EmbeddedRegistryThroughput() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().build().start()) {
            int port = registry.styxPort();
            System.out.printf("machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            warmUp(port);
            System.out.printf("9P Tstat, 1 client, window %d: median %,.0f requests/s over %d runs%n",
                    WINDOW, median(RUNS, () -> rate(port, 1)), RUNS);
            System.out.printf("9P Tstat, 8 clients, window %d each: median %,.0f requests/s over %d runs%n",
                    WINDOW, median(RUNS, () -> rate(port, 8)), RUNS);
            indexCost(port);
        }
    }

    private interface Measure {
        double run() throws Exception;
    }

    private static double median(int runs, Measure m) throws Exception {
        double[] values = new double[runs];
        for (int i = 0; i < runs; i++) {
            values[i] = m.run();
        }
        Arrays.sort(values);
        return values[runs / 2];
    }

    private static void warmUp(int port) throws Exception {
        for (int i = 0; i < 3; i++) {
            rate(port, 2);
        }
    }

    /** Requests per second with {@code clients} connections each keeping {@link #WINDOW} Tstats in flight. */
    private static double rate(int port, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            int each = REQUESTS / clients;
            List<Future<?>> done = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    try (Client client = new Client(port, "bench")) {
                        client.pipelineStats(each);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return (double) each * clients / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    private static void indexCost(int port) throws Exception {
        try (Client client = new Client(port, "bench")) {
            client.registerMany(10_000);
            double[] cached = new double[21];
            double[] fresh = new double[21];
            int[] bytes = new int[1];
            for (int i = 0; i < cached.length; i++) {
                client.touch();
                long t0 = System.nanoTime();
                bytes[0] = client.readIndex();
                long t1 = System.nanoTime();
                client.readIndex();
                long t2 = System.nanoTime();
                fresh[i] = (t1 - t0) / 1e6;
                cached[i] = (t2 - t1) / 1e6;
            }
            Arrays.sort(cached);
            Arrays.sort(fresh);
            System.out.printf("index read at 10,000 services (%,d bytes): median %.2f ms after a change, %.2f ms "
                    + "unchanged (rendered once per version), over %d reads%n", bytes[0], fresh[10], cached[10], 21);
        }
    }

    /** A minimal blocking 9P client for the harness. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final ArrayDeque<StyxMessage> received = new ArrayDeque<>();
        private final StyxFrameReader reader = new StyxFrameReader(65560, received::add);
        private final byte[] buf = new byte[65536];
        private int nextFid = 10;

        Client(int port, String user) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream(), 65536);
            in = socket.getInputStream();
            rpc(new StyxMessage.Tversion(StyxMessage.NOTAG, 65560, "9P2000"));
            rpc(new StyxMessage.Tattach(1, 0, StyxMessage.NOFID, user, ""));
        }

        StyxMessage rpc(StyxMessage m) throws IOException {
            out.write(StyxCodec.encode(m));
            out.flush();
            return receive();
        }

        private StyxMessage receive() throws IOException {
            while (received.isEmpty()) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("closed");
                }
                reader.feed(buf, 0, n);
            }
            StyxMessage m = received.poll();
            if (m instanceof StyxMessage.Rerror e) {
                throw new IOException(e.ename());
            }
            return m;
        }

        void pipelineStats(int count) throws IOException {
            int sent = 0;
            int answered = 0;
            while (answered < count) {
                while (sent < count && sent - answered < WINDOW) {
                    out.write(StyxCodec.encode(new StyxMessage.Tstat(sent % WINDOW, 0)));
                    sent++;
                }
                out.flush();
                receive();
                answered++;
            }
        }

        void registerMany(int count) throws IOException {
            for (int i = 0; i < count; i++) {
                int fid = nextFid++;
                out.write(StyxCodec.encode(new StyxMessage.Twalk(2, 0, fid, List.of("new"))));
                out.write(StyxCodec.encode(new StyxMessage.Topen(3, fid, StyxMessage.ORDWR)));
                out.write(StyxCodec.encode(new StyxMessage.Twrite(4, fid, 0,
                        ("tcp!host" + i + "!6666 proto tcp kind bench n " + i).getBytes(StandardCharsets.UTF_8))));
                out.flush();
                receive();
                receive();
                receive();
            }
        }

        /** Updates the first service so that the next index read must render anew. */
        void touch() throws IOException {
            rpc(new StyxMessage.Twrite(5, 10, 0, ("t " + System.nanoTime()).getBytes(StandardCharsets.UTF_8)));
        }

        int readIndex() throws IOException {
            int fid = nextFid++;
            rpc(new StyxMessage.Twalk(6, 0, fid, List.of("index")));
            rpc(new StyxMessage.Topen(7, fid, StyxMessage.OREAD));
            long offset = 0;
            while (true) {
                StyxMessage.Rread r = (StyxMessage.Rread) rpc(new StyxMessage.Tread(8, fid, offset, 65536 - 24));
                if (r.data().length == 0) {
                    break;
                }
                offset += r.data().length;
            }
            rpc(new StyxMessage.Tclunk(9, fid));
            return (int) offset;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
