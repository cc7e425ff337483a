package io.regmgr.runtime.client;

import io.vertx.core.net.NetSocket;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;

/**
 * A session's connections to the line bridge's {@code find} port, opened before a change needs them:
 * accepted by the bridge (whose script opens the registry's {@code find} file at the accept, a walk
 * and an open), nothing written. A change's find then only writes its filter and reads the answer
 * (3 registry requests instead of 5, and no TCP connect on the critical path).
 *
 * <p>Size: as many as the finds started since the last change, or during the change before it if
 * that used more (so a pool refilled just after an event, before the change's finds start, is not
 * emptied), at most {@link ConnectorOptions#bridgeFindPool()}: each idle connection holds a shell and
 * an open {@code find} fid on the bridge host. None while the changes use none. Refilled by
 * {@link #refill()}, which the session calls when no find is running (off a change's critical path).
 * An idle connection is not closed when the size falls: its walk and open are paid for already, and
 * closing it would throw them away (a restore, whose confirmation rounds come between its many
 * events, made the pool close and open again a connection per round: a third more registry
 * requests); so the pool holds at most the largest size seen in the session, within the bound.
 *
 * <p>Correctness: the bridge answers "lines, then close", and an empty answer is a close with no
 * bytes. An idle connection that the bridge closes (a restart, idle reaping) or that sends anything
 * before a filter is dropped at once, so it is never handed out; the close that races with a filter
 * written on it is left to {@link BridgeQuery}, which runs that find again on a new connection.
 *
 * <p>Lifecycle: live from construction until {@link #close()} (on the session's end), which closes
 * every idle connection and any that connects later. Confined to the transport's context.
 */
final class BridgeFindPool {
    private static final System.Logger LOG = System.getLogger(BridgeFindPool.class.getName());

    /** An idle connection and how long its TCP connect took (about a round trip to the bridge). */
    record Idle(NetSocket socket, long connectNanos) {
    }

    private final BridgeTransport transport;
    private final int max;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private int connecting;
    /** Finds started since the last change, and during the change before it. */
    private int used;
    private int usedBefore;
    private boolean closed;

    /** @param transport the connector's transport, whose options give the largest size (0: the pool is off) */
    BridgeFindPool(BridgeTransport transport) {
        this.transport = transport;
        this.max = transport.options().bridgeFindPool();
    }

    /** @return whether the pool may hold connections at all (its size limit is not 0) */
    boolean enabled() {
        return max > 0;
    }

    /** @return an idle connection for a find that starts now (counted towards the size), or null when none is ready */
    Idle take() {
        used++;
        return closed ? null : idle.pollFirst();
    }

    /** A change was announced: the finds counted so far are the previous change's. */
    void changed() {
        usedBefore = used;
        used = 0;
    }

    /** Opens connections up to the size; call when no find is running. */
    void refill() {
        if (closed) {
            return;
        }
        int size = Math.min(max, Math.max(used, usedBefore));
        for (int missing = size - idle.size() - connecting; missing > 0; missing--) {
            open();
        }
    }

    private void open() {
        connecting++;
        long started = System.nanoTime();
        transport.connect(transport.findPort(), "find").onComplete(ar -> {
            connecting--;
            if (ar.failed()) {
                LOG.log(Level.DEBUG, () -> "find connection opened in advance: " + ar.cause().getMessage());
            } else if (closed) {
                ar.result().close();
            } else {
                keep(new Idle(ar.result(), System.nanoTime() - started));
            }
        });
    }

    private void keep(Idle c) {
        NetSocket s = c.socket();
        s.closeHandler(v -> idle.remove(c));
        s.exceptionHandler(e -> drop(c, "failed: " + e.getMessage()));
        s.handler(data -> drop(c, "the bridge sent " + data.length() + " bytes before any filter"));
        idle.addLast(c);
    }

    private void drop(Idle c, String why) {
        if (idle.remove(c)) {
            LOG.log(Level.DEBUG, () -> "dropping a find connection opened in advance to " + transport.findPort() + ": " + why);
            c.socket().close();
        }
    }

    /** Closes every idle connection, and any that connects from now on. Idempotent. */
    void close() {
        closed = true;
        new ArrayList<>(idle).forEach(c -> c.socket().close());
        idle.clear();
    }
}
