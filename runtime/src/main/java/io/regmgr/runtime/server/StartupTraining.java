package io.regmgr.runtime.server;

import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Tattach;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.regmgr.runtime.protocol.StyxMessage.Tversion;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
 * <p>It starts a registry through the launcher's own start path ({@link RegistryLauncher#configureProcess()},
 * {@link RegistryLauncher#launch}) on loopback ports chosen by the OS, then does what the first
 * clients do (a 9P session: version, attach, register, read {@code index}, stat; a bridge
 * registration, find and event), so that every class between the command and the first answers is
 * loaded, linked and archived (with the cache: and the methods' profiles kept); then it stops. The
 * JVM writes the archive (the cache) as it exits.
 *
 * <p>Exit status 0, or 1 with the failure on stderr (the build then fails). Not part of the API.
 */
final class StartupTraining {
    private static final int MSIZE = 8216;

    private StartupTraining() {
    }

    /**
     * Runs the training and exits.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        int status = 0;
        RegistryLauncher.configureProcess();
        EmbeddedRegistry registry = RegistryLauncher.launch(
                new String[] {"--styx", "tcp!127.0.0.1!0", "--bridge", "tcp!127.0.0.1!0"}, new PrintStream(System.out, true,
                        StandardCharsets.UTF_8));
        try {
            styxSession(registry.styxPort());
            bridgeSession(registry);
        } catch (RuntimeException | IOException e) {
            System.err.println("registry training failed: " + e);
            status = 1;
        } finally {
            registry.close();
        }
        System.exit(status);
    }

    private static void styxSession(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            rpc(in, out, new Tversion(StyxMessage.NOTAG, MSIZE, "9P2000"));
            rpc(in, out, new Tattach(1, 0, StyxMessage.NOFID, "training", ""));
            rpc(in, out, new Twalk(2, 0, 1, List.of("new")));
            rpc(in, out, new Topen(3, 1, StyxMessage.ORDWR));
            rpc(in, out, new Twrite(4, 1, 0, ascii("training kind cds")));
            rpc(in, out, new Twalk(5, 0, 2, List.of("index")));
            rpc(in, out, new Topen(6, 2, StyxMessage.OREAD));
            rpc(in, out, new Tread(7, 2, 0, MSIZE - StyxCodec.IOHDRSZ));
            rpc(in, out, new Tstat(8, 0));
            rpc(in, out, new Tclunk(9, 2));
        }
    }

    /** One request and its reply; an {@code Rerror} fails the training. */
    private static void rpc(DataInputStream in, OutputStream out, StyxMessage request) throws IOException {
        out.write(StyxCodec.encode(request));
        // size[4] is little-endian and counts itself
        byte[] size = in.readNBytes(4);
        int length = (size[0] & 0xff) | (size[1] & 0xff) << 8 | (size[2] & 0xff) << 16 | (size[3] & 0xff) << 24;
        if (length < StyxCodec.HEADER_SIZE || length > MSIZE) {
            throw new IllegalStateException("reply to " + request + " has size " + length);
        }
        byte[] frame = new byte[length];
        System.arraycopy(size, 0, frame, 0, 4);
        in.readFully(frame, 4, length - 4);
        if (StyxCodec.decode(frame) instanceof Rerror error) {
            throw new IllegalStateException("registry answered '" + error.ename() + "' to " + request);
        }
    }

    private static void bridgeSession(EmbeddedRegistry registry) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (Socket events = new Socket(loopback, registry.bridgeEventPort());
             Socket registration = new Socket(loopback, registry.bridgeNewPort())) {
            events.getInputStream().readNBytes("READY\n".length());
            registration.getOutputStream().write(ascii("bridged kind cds\n"));
            events.getInputStream().readNBytes("00000001\n".length());
            try (Socket find = new Socket(loopback, registry.bridgeFindPort())) {
                find.getOutputStream().write(ascii("kind cds\n"));
                find.getInputStream().readAllBytes();
            }
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
