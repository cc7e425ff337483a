package io.regmgr.runtime.client;

import io.regmgr.Filter;
import io.regmgr.LimitExceededException;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryException;
import io.regmgr.RegistryNames;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.RecordSplitter;
import io.regmgr.runtime.protocol.RegistryLines;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One query on the bridge's {@code find} port: connect, write the filter line, read the matching
 * service lines until the bridge closes, parse them.
 *
 * <pre>
 *   client: attr value attr value ...\n      (one line; empty = every service)
 *   bridge: name attr value ...\n            (zero or more, the last newline may be missing)
 *   bridge: EOF
 * </pre>
 *
 * <p>Only the services that match the filter are returned: the real bridge takes its filter from
 * the first read chunk, not the first line, and answers every service to an odd or cut one, so a
 * filter line split by the network would otherwise widen the answer.
 *
 * <p>Bounded: a line longer than {@link RecordSplitter#DEFAULT_MAX_RECORD_BYTES} or an answer longer
 * than {@link ConnectorOptions#maxAnswerBytes()} fails with {@link LimitExceededException}, an
 * answer that does not end in time with {@link RegistryTimeoutException}, a refused connection
 * with {@link RegistryConnectionException}, a malformed line with
 * {@link io.regmgr.ProtocolViolationException}. On every failure the connection is closed.
 *
 * <p>Confined to the connector's context; {@link #start} must be called there.
 */
final class BridgeQuery {
    private final BridgeTransport transport;
    private final Filter filter;
    private final String what;
    private final Promise<List<ServiceEntry>> promise = Promise.promise();
    private final List<ServiceEntry> entries = new ArrayList<>();
    private final RecordSplitter splitter;
    private NetSocket socket;
    private long timer = -1;
    private long received;

    private BridgeQuery(BridgeTransport transport, Filter filter, String what) {
        this.transport = transport;
        this.filter = filter;
        this.what = what;
        this.splitter = new RecordSplitter(RecordSplitter.DEFAULT_MAX_RECORD_BYTES, what, this::add);
    }

    /**
     * Starts a query.
     *
     * @param transport the connector's transport; call on its context
     * @param filter what to look for
     * @param timeout how long the whole query (connect included) may take
     * @param purpose what the query is for, for messages, e.g. {@code "find"} or {@code "liveness probe"}
     * @return the running query
     */
    static BridgeQuery start(BridgeTransport transport, Filter filter, Duration timeout, String purpose) {
        BridgeQuery query = new BridgeQuery(transport, filter, purpose + " " + RegistryNames.printable(filter.toString())
                + " on the line bridge's find port " + transport.findPort());
        query.run(RegistryLines.formatFilter(filter) + "\n", timeout);
        return query;
    }

    /** @return the services found, or the failure */
    Future<List<ServiceEntry>> result() {
        return promise.future();
    }

    /** Fails the query with {@code cause} and closes its connection, unless it has already ended. */
    void abort(Throwable cause) {
        if (promise.tryFail(cause)) {
            release();
        }
    }

    private void run(String filterLine, Duration timeout) {
        timer = transport.setTimer(timeout, () -> abort(new RegistryTimeoutException(what, timeout)));
        transport.connect(transport.findPort(), "find").onComplete(ar -> {
            if (ar.failed()) {
                abort(ar.cause());
            } else if (promise.future().isComplete()) {
                ar.result().close();
            } else {
                attach(ar.result(), filterLine);
            }
        });
    }

    private void attach(NetSocket s, String filterLine) {
        socket = s;
        s.handler(this::onData);
        s.closeHandler(v -> onEnd());
        s.exceptionHandler(e -> abort(new RegistryConnectionException(transport.findPort().toString(),
                what + ": connection failed: " + e.getMessage(), e)));
        s.write(Buffer.buffer(filterLine.getBytes(StandardCharsets.UTF_8))).onFailure(e -> abort(
                new RegistryConnectionException(transport.findPort().toString(),
                        what + ": cannot send the filter: " + e.getMessage(), e)));
    }

    private void onData(Buffer data) {
        if (promise.future().isComplete()) {
            return;
        }
        received += data.length();
        int max = transport.options().maxAnswerBytes();
        if (received > max) {
            abort(new LimitExceededException("answer size", max, received, what));
            return;
        }
        try {
            byte[] bytes = data.getBytes();
            splitter.feed(bytes, 0, bytes.length);
        } catch (RegistryException e) {
            abort(e);
        }
    }

    // The bridge closes after the last line: that is the end of the answer.
    private void onEnd() {
        if (promise.future().isComplete()) {
            return;
        }
        try {
            splitter.finish().ifPresent(this::add);
        } catch (RegistryException e) {
            abort(e);
            return;
        }
        transport.cancelTimer(timer);
        promise.tryComplete(ReadAnswer.of(entries, received));
    }

    private void add(String record) {
        RegistryLines.parseRecord(record).filter(e -> filter.matches(e.attributes())).ifPresent(entries::add);
    }

    private void release() {
        transport.cancelTimer(timer);
        if (socket != null) {
            socket.close();
        }
    }
}
