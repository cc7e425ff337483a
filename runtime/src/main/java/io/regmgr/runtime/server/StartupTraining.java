package io.regmgr.runtime.server;

import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Tattach;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tversion;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The training run behind the standalone registry's class-data-sharing archive
 * ({@code runtime/target/regmgr-registry.jsa}) and its JDK 25 ahead-of-time cache
 * ({@code runtime/target/regmgr-registry.aot}). At package time the build runs
 *
 * <pre>
 * java -XX:ArchiveClassesAtExit=target/regmgr-registry.jsa -cp target/regmgr-registry.jar io.regmgr.runtime.server.StartupTraining
 * </pre>
 *
 * <p>and, where it finds a JDK 25 or later ({@code src/build/make-launcher.sh}), the same on that
 * JDK with {@code -XX:AOTCacheOutput=target/regmgr-registry.aot} and the JVM options the launcher
 * script starts it with.
 *
 * <p>It runs exactly the launcher's start path ({@link RegistryLauncher#configureProcess()},
 * {@link RegistryLauncher#launch}, {@link RegistryLauncher#stopHook}) on loopback ports chosen by
 * the OS, then answers the one 9P session a restarted registry meets first (version, attach,
 * register, read {@code index}), and halts. Nothing else: the JDK 25 cache loads every class it
 * holds at every start, so a class only the training needs costs every start. Hence a client on a
 * {@link SocketChannel} (the classes of the registry's own accepted sockets, unlike
 * {@link java.net.Socket}'s), no bridge session (its classes load on a bridge client's first
 * request, after the start) and {@link Runtime#halt} instead of closing the registry (the
 * shutdown path is not the start path). The JVM writes the archive (the cache) as it halts.
 *
 * <p>Exit status 0, or 1 with the failure on stderr (the build then fails). Not part of the API.
 */
final class StartupTraining {
    private static final int MSIZE = 8216;
    /**
     * Classes the start path loads on some runs only, as its threads happen to meet: Netty's
     * listener notification handed to the event loop when a promise completes on another thread.
     * Loaded here (not initialised) so that the cache holds them whichever way a start goes
     * (RegistryJarIT checks that no class on the start path comes from the jar).
     */
    private static final List<String> SOMETIMES_ON_THE_START_PATH = List.of("io.netty.util.concurrent.DefaultPromise$1");

    private StartupTraining() {
    }

    /**
     * Runs the training and halts.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        int status = 0;
        RegistryLauncher.configureProcess();
        for (String name : SOMETIMES_ON_THE_START_PATH) {
            try {
                Class.forName(name, false, StartupTraining.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                System.err.println("registry training: " + name + " not found (another Netty version?): " + e);
                status = 1;
            }
        }
        EmbeddedRegistry registry = RegistryLauncher.launch(
                new String[] {"--styx", "tcp!127.0.0.1!0", "--bridge", "tcp!127.0.0.1!0"}, System.out);
        RegistryLauncher.stopHook(registry, new CountDownLatch(1));
        try {
            firstSession(registry.styxPort());
        } catch (RuntimeException | IOException e) {
            System.err.println("registry training failed: " + e);
            status = 1;
        }
        Runtime.getRuntime().halt(status);
    }

    private static void firstSession(int port) throws IOException {
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            rpc(channel, new Tversion(StyxMessage.NOTAG, MSIZE, "9P2000"));
            rpc(channel, new Tattach(1, 0, StyxMessage.NOFID, "training", ""));
            rpc(channel, new Twalk(2, 0, 1, List.of("new")));
            rpc(channel, new Topen(3, 1, StyxMessage.ORDWR));
            rpc(channel, new Twrite(4, 1, 0, "training kind cds".getBytes(StandardCharsets.US_ASCII)));
            rpc(channel, new Twalk(5, 0, 2, List.of("index")));
            rpc(channel, new Topen(6, 2, StyxMessage.OREAD));
            rpc(channel, new Tread(7, 2, 0, MSIZE - StyxCodec.IOHDRSZ));
        }
    }

    /** One request and its reply; an {@code Rerror} fails the training. */
    private static void rpc(SocketChannel channel, StyxMessage request) throws IOException {
        channel.write(ByteBuffer.wrap(StyxCodec.encode(request)));
        // size[4] is little-endian and counts itself
        ByteBuffer size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        fill(channel, size);
        int length = size.getInt(0);
        if (length < StyxCodec.HEADER_SIZE || length > MSIZE) {
            throw new IllegalStateException("reply to " + request + " has size " + length);
        }
        ByteBuffer frame = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN).putInt(length);
        fill(channel, frame);
        if (StyxCodec.decode(frame.array()) instanceof Rerror error) {
            throw new IllegalStateException("registry answered '" + error.ename() + "' to " + request);
        }
    }

    private static void fill(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the registry closed the connection after " + buffer.position() + " bytes");
            }
        }
    }
}
