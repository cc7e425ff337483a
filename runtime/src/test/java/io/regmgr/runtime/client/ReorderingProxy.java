package io.regmgr.runtime.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A 9P proxy on a loopback port chosen by the OS in front of a registry's 9P port that serves a
 * find fid's filter write after the read sent behind it, an order Inferno's {@code export} allows
 * (its worker processes serve one connection's requests concurrently): every {@code Twrite} on a
 * fid walked to {@code find} is held until the next {@code Tread} of that fid has gone out, then
 * forwarded (a fid's first write only: one sent again after an answer goes out at once). So the first read of a new find fid is always served unfiltered, whatever the
 * socket's reads group. It also tracks the fids the registry holds, from the requests and their
 * answers (every connection through it together: tests use one). Plain sockets, two threads per
 * connection; controls may be called from any thread.
 */
final class ReorderingProxy implements AutoCloseable {
    private static final int TVERSION = 100;
    private static final int TATTACH = 104;
    private static final int TWALK = 110;
    private static final int TREAD = 116;
    private static final int TWRITE = 118;
    private static final int TCLUNK = 120;
    private static final int TREMOVE = 122;

    private final ServerSocket listener;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> walkedTo = new ConcurrentHashMap<>();
    private final Map<Integer, byte[]> inFlight = new ConcurrentHashMap<>();
    private final Set<Integer> bound = ConcurrentHashMap.newKeySet();
    private final Map<Integer, byte[]> heldWrites = new ConcurrentHashMap<>();
    private final Set<Integer> writtenOnce = ConcurrentHashMap.newKeySet();
    private volatile boolean reorder = true;
    private volatile int reordered;
    private final Map<String, Integer> reads = new ConcurrentHashMap<>();

    private ReorderingProxy(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "reordering-proxy-accept");
    }

    /** @return a listening proxy to the registry's 9P port {@code target} on loopback, reordering */
    static ReorderingProxy start(int target) {
        try {
            return new ReorderingProxy(target);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback: " + e, e);
        }
    }

    /** @return the port the client connects to */
    int port() {
        return listener.getLocalPort();
    }

    /** @param on whether find filter writes go out behind the read that follows them (on at start) */
    void reorder(boolean on) {
        reorder = on;
    }

    /** @return how many filter writes went out behind a read of their fid */
    int reordered() {
        return reordered;
    }

    /** @return how many {@code Tread}s went to fids walked to {@code name} */
    int readsOf(String name) {
        return reads.getOrDefault(name, 0);
    }

    /** @return how many fids the registry holds, as seen on the wire (the root and the event fid included) */
    int fidsBound() {
        return bound.size();
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void accept() {
        try {
            while (true) {
                Socket c = listener.accept();
                Socket s = new Socket(InetAddress.getLoopbackAddress(), target);
                c.setTcpNoDelay(true);
                s.setTcpNoDelay(true);
                sockets.add(c);
                sockets.add(s);
                daemon(() -> pump(c, s, true), "reordering-proxy-to-registry");
                daemon(() -> pump(s, c, false), "reordering-proxy-to-client");
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static int u32(byte[] f, int off) {
        return ByteBuffer.wrap(f, off, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static int u16(byte[] f, int off) {
        return ByteBuffer.wrap(f, off, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
    }

    private static int type(byte[] f) {
        return f[4] & 0xff;
    }

    private static int tag(byte[] f) {
        return u16(f, 5);
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buf = new byte[1 << 17];
            byte[] pending = new byte[0];
            int n;
            while ((n = in.read(buf)) >= 0) {
                byte[] all = Arrays.copyOf(pending, pending.length + n);
                System.arraycopy(buf, 0, all, pending.length, n);
                // size[4] type[1] tag[2] ...: whole frames only
                int off = 0;
                ByteArrayOutputStream forward = new ByteArrayOutputStream();
                while (all.length - off >= 4 && all.length - off >= u32(all, off)) {
                    byte[] frame = Arrays.copyOfRange(all, off, off + u32(all, off));
                    off += frame.length;
                    for (byte[] f : fromClient ? request(frame) : List.of(answer(frame))) {
                        forward.write(f);
                    }
                }
                pending = Arrays.copyOfRange(all, off, all.length);
                out.write(forward.toByteArray());
                out.flush();
            }
        } catch (IOException e) {
            // a side closed: close the other
        } finally {
            close(from);
            close(to);
        }
    }

    /** @return the requests to forward for {@code f}: none while a filter write is held */
    private List<byte[]> request(byte[] f) {
        inFlight.put(tag(f), f);
        int type = type(f);
        if (type == TWALK && u16(f, 15) == 1) {
            // size[4] Twalk tag[2] fid[4] newfid[4] nwname[2] wname[s]
            walkedTo.put(u32(f, 11), new String(f, 19, u16(f, 17), StandardCharsets.UTF_8));
            writtenOnce.remove(u32(f, 11));
        }
        // only a fid's first write (a burst's): one sent again after an answer waits for nothing
        if (type == TWRITE && reorder && "find".equals(walkedTo.get(u32(f, 7))) && writtenOnce.add(u32(f, 7))) {
            heldWrites.put(u32(f, 7), f);
            return List.of();
        }
        if (type == TREAD && walkedTo.containsKey(u32(f, 7))) {
            reads.merge(walkedTo.get(u32(f, 7)), 1, Integer::sum);
        }
        byte[] held = type == TREAD ? heldWrites.remove(u32(f, 7)) : null;
        if (held == null) {
            return List.of(f);
        }
        reordered++;
        return List.of(f, held);
    }

    /** Tracks the fids bound by the request {@code r} answers. */
    private byte[] answer(byte[] r) {
        byte[] q = inFlight.remove(tag(r));
        if (q == null) {
            return r;
        }
        int qt = type(q);
        boolean ok = type(r) == qt + 1;
        if (qt == TVERSION && ok) {
            bound.clear();
        } else if (qt == TATTACH && ok) {
            bound.add(u32(q, 7));
        } else if (qt == TWALK && ok && u16(r, 7) == u16(q, 15)) {
            // size[4] Rwalk tag[2] nwqid[2]: bound only when every element was walked
            bound.add(u32(q, 11));
        } else if (qt == TCLUNK || qt == TREMOVE) {
            bound.remove(u32(q, 7));
        }
        return r;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(ReorderingProxy::close);
    }
}
