package io.regmgr.runtime.server;

import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.runtime.auth.link.SecureSocket;
import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxFrameReader;
import io.regmgr.runtime.protocol.StyxMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.lang.System.Logger.Level;

/**
 * The 9P2000 front end for one TCP connection: frames in, {@link StyxSession} in the middle,
 * replies out. Replies produced while one chunk of input is handled go out in one write, so a
 * pipelining client costs one syscall per chunk rather than per reply. A client that does not read
 * its replies is paused: input is fed to the session {@value #FEED_SLICE} bytes at a time; whenever
 * the batched replies reach {@value #BATCH_LIMIT} bytes they are written, and if the write queue is
 * then full the rest of the chunk is held back and the socket paused (later input stays in the
 * kernel) until the queue drains. So the replies held in memory stay within about the queue's high
 * water mark plus what one slice of requests produces. Garbage or an oversized frame closes this
 * connection only. In a profile whose requests of one read are concurrent (EXPORTED), the requests
 * decoded from one read of the socket (one delivery of input) form a group that {@link ExportWorkers}
 * answers as export's workers may. Runs on the registry's context.
 */
final class StyxConnection {
    private static final System.Logger LOG = System.getLogger(StyxConnection.class.getName());
    /** Input fed to the session between two checks of the write queue (the smallest Tread is 23 bytes). */
    private static final int FEED_SLICE = 256;
    /** Replies batched before they are written and the write queue checked: Netty's default high water mark. */
    private static final int BATCH_LIMIT = 65_536;

    private final NetSocket socket;
    private final SecureSocket link;
    private final RegistryCounters counters;
    private final StyxSession session;
    private final StyxFrameReader reader;
    private final ServiceQueue queue;
    /** Export's concurrent workers, in a profile that has them; null: served strictly in order. */
    private final ExportWorkers workers;
    /** Reads of the socket so far: the requests decoded from one read arrive together. */
    private long reads;
    private Buffer batch;
    private boolean closed;
    /** The rest of a chunk not fed yet because the write queue is full; fed on drain. */
    private byte[] unfed;
    private int unfedFrom;

    StyxConnection(NetSocket socket, RegistryState state, ServerLimits limits, RegistryCounters counters,
            ServiceQueue queue, Runnable onClosed) {
        this(SecureSocket.plain(socket), state, limits, counters, queue, onClosed);
    }

    /** As the plain constructor, over an authenticated link: its peer's name owns what it creates. */
    StyxConnection(SecureSocket link, RegistryState state, ServerLimits limits, RegistryCounters counters,
            ServiceQueue queue, Runnable onClosed) {
        NetSocket socket = link.socket();
        this.link = link;
        this.socket = socket;
        this.queue = queue;
        this.counters = counters;
        this.session = new StyxSession(state, this::send, limits.maxMessageSize(), limits.maxFidsPerConnection(),
                limits.profile());
        this.workers = limits.profile().requestsOfOneReadConcurrent() ? new ExportWorkers(session, this::send) : null;
        this.reader = new StyxFrameReader(limits.maxMessageSize(), this::onMessage);
        session.authenticatedAs(link.identity().peer());
        link.handler(this::onData, e -> {
            counters.protocolError();
            LOG.log(Level.INFO, () -> "closing 9P connection from " + socket.remoteAddress() + ": " + e.getMessage());
            closed = true;
            socket.close();
        });
        socket.drainHandler(v -> onDrain());
        socket.closeHandler(v -> {
            closed = true;
            session.closeAll();
            onClosed.run();
        });
        socket.exceptionHandler(e -> LOG.log(Level.DEBUG, () -> "9P connection " + socket.remoteAddress() + ": " + e));
    }

    private void onMessage(StyxMessage m) {
        // one 9P request is one request of the (possibly simulated) registry; a connection closed
        // while its request waited is not served, as its replies would go nowhere. Counted when
        // served, as the registry's work: a request export answers itself is counted apart
        long read = reads;
        queue.submitCounted(() -> {
            int requests = closed ? 1 : serve(m, read);
            if (requests > 0) {
                counters.request(m.type());
            } else {
                counters.exportRefusal();
            }
            return requests;
        });
    }

    /** @return the registry requests {@code m} cost: 1, or 0 if export's workers answered it themselves */
    private int serve(StyxMessage m, long read) {
        int requests = 1;
        if (workers != null) {
            requests = workers.serve(m, read);
        } else {
            session.handle(m);
        }
        reader.setMaxMessageSize(session.msize());
        return requests;
    }

    private void onData(Buffer data) {
        reads++;
        if (!closed) {
            feed(data.getBytes(), 0);
        }
    }

    /**
     * Feeds {@code bytes} from {@code from} a slice at a time; stops and pauses the socket when the
     * write queue is full, keeping the rest for {@link #onDrain()}.
     */
    private void feed(byte[] bytes, int from) {
        batch = Buffer.buffer();
        int pos = from;
        while (pos < bytes.length) {
            int n = Math.min(FEED_SLICE, bytes.length - pos);
            try {
                reader.feed(bytes, pos, n);
            } catch (ProtocolViolationException | LimitExceededException e) {
                counters.protocolError();
                LOG.log(Level.INFO, () -> "closing 9P connection from " + socket.remoteAddress() + ": " + e.getMessage());
                flushBatch();
                closed = true;
                socket.close();
                return;
            }
            pos += n;
            if (batch.length() >= BATCH_LIMIT) {
                flushBatch();
                if (socket.writeQueueFull() && pos < bytes.length) {
                    unfed = bytes;
                    unfedFrom = pos;
                    socket.pause();
                    return;
                }
                batch = Buffer.buffer();
            }
        }
        flushBatch();
    }

    /** The peer read enough: feed what was held back, then take input again unless the queue filled. */
    private void onDrain() {
        byte[] rest = unfed;
        unfed = null;
        if (rest != null && !closed) {
            feed(rest, unfedFrom);
        }
        if (!closed && unfed == null && !socket.writeQueueFull()) {
            socket.resume();
        }
    }

    private void flushBatch() {
        Buffer b = batch;
        batch = null;
        if (b != null && b.length() > 0) {
            write(b);
        }
    }

    private void send(StyxMessage m) {
        if (closed) {
            return;
        }
        byte[] frame = StyxCodec.encode(m);
        queue.output(() -> sendFrame(frame));
    }

    private void sendFrame(byte[] frame) {
        if (closed) {
            return;
        }
        if (batch != null) {
            batch.appendBytes(frame);
        } else {
            write(Buffer.buffer(frame));
        }
    }

    private void write(Buffer b) {
        link.write(b);
        if (socket.writeQueueFull()) {
            socket.pause();
        }
    }

}
