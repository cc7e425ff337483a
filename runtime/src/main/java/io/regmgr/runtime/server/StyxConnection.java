package io.regmgr.runtime.server;

import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
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
 * its replies is paused (the write queue is bounded). Garbage or an oversized frame closes this
 * connection only. Runs on the registry's context.
 */
final class StyxConnection {
    private static final System.Logger LOG = System.getLogger(StyxConnection.class.getName());

    private final NetSocket socket;
    private final RegistryCounters counters;
    private final StyxSession session;
    private final StyxFrameReader reader;
    private Buffer batch;
    private boolean closed;

    StyxConnection(NetSocket socket, RegistryState state, ServerLimits limits, RegistryCounters counters,
            Runnable onClosed) {
        this.socket = socket;
        this.counters = counters;
        this.session = new StyxSession(state, this::send, limits.maxMessageSize(), limits.maxFidsPerConnection());
        this.reader = new StyxFrameReader(limits.maxMessageSize(), this::onMessage);
        socket.handler(this::onData);
        socket.closeHandler(v -> {
            closed = true;
            session.closeAll();
            onClosed.run();
        });
        socket.exceptionHandler(e -> LOG.log(Level.DEBUG, () -> "9P connection " + socket.remoteAddress() + ": " + e));
    }

    private void onMessage(StyxMessage m) {
        counters.request(m.type());
        session.handle(m);
        reader.setMaxMessageSize(session.msize());
    }

    private void onData(Buffer data) {
        if (closed) {
            return;
        }
        batch = Buffer.buffer();
        try {
            byte[] bytes = data.getBytes();
            reader.feed(bytes, 0, bytes.length);
        } catch (ProtocolViolationException | LimitExceededException e) {
            counters.protocolError();
            LOG.log(Level.INFO, () -> "closing 9P connection from " + socket.remoteAddress() + ": " + e.getMessage());
            flushBatch();
            closed = true;
            socket.close();
            return;
        }
        flushBatch();
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
        if (batch != null) {
            batch.appendBytes(frame);
        } else {
            write(Buffer.buffer(frame));
        }
    }

    private void write(Buffer b) {
        socket.write(b);
        if (socket.writeQueueFull()) {
            socket.pause();
            socket.drainHandler(v -> socket.resume());
        }
    }

}
