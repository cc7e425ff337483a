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
 * <p>A query may start on a connection opened in advance ({@link BridgeFindPool}). Such a
 * connection's close with no bytes is an empty answer only when it comes later than
 * {@value #SUSPECT_MARGIN_NANOS} ns plus twice the connection's own connect time after the filter was
 * written: an earlier one may be the bridge's close of an idle connection (a restart) that crossed
 * the filter on the wire (it reaches us at most one round trip after our write), so that query is
 * run again on a new connection, as a query without the pool would have run it; so is a query whose
 * filter cannot be written on such a connection, or whose connection fails before any byte came. A
 * real bridge's empty answer takes three registry requests and a shell after the filter arrives
 * (about 7 ms per find connection), well above that.
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
    /** Margin beyond two connect times within which a silent close of a pooled connection is suspect, ns. */
    static final long SUSPECT_MARGIN_NANOS = 1_000_000;

    private final BridgeTransport transport;
    private final Filter filter;
    private final String what;
    private final Promise<List<ServiceEntry>> promise = Promise.promise();
    private final List<ServiceEntry> entries = new ArrayList<>();
    private final RecordSplitter splitter;
    private final String filterLine;
    private NetSocket socket;
    private long timer = -1;
    private long received;
    /** Whether the query runs on a connection opened in advance (until it is given up). */
    private boolean pooled;
    /** Until which {@link System#nanoTime()} a silent close of the pooled connection is suspect. */
    private long suspectUntil;

    private BridgeQuery(BridgeTransport transport, Filter filter, String what) {
        this.transport = transport;
        this.filter = filter;
        this.what = what;
        this.splitter = new RecordSplitter(RecordSplitter.DEFAULT_MAX_RECORD_BYTES, what, this::add);
        this.filterLine = RegistryLines.formatFilter(filter) + "\n";
    }

    /**
     * Starts a query.
     *
     * @param transport the connector's transport; call on its context
     * @param filter what to look for
     * @param timeout how long the whole query (connect included) may take
     * @param purpose what the query is for, for messages, e.g. {@code "find"} or {@code "liveness probe"}
     * @param ready a connection opened in advance to use, or null to open one
     * @return the running query
     */
    static BridgeQuery start(BridgeTransport transport, Filter filter, Duration timeout, String purpose,
            BridgeFindPool.Idle ready) {
        BridgeQuery query = new BridgeQuery(transport, filter, purpose + " " + RegistryNames.printable(filter.toString())
                + " on the line bridge's find port " + transport.findPort());
        query.timer = transport.setTimer(timeout, () -> query.abort(new RegistryTimeoutException(query.what, timeout)));
        if (ready == null) {
            query.connect();
        } else {
            query.pooled = true;
            query.suspectUntil = System.nanoTime() + SUSPECT_MARGIN_NANOS + 2 * ready.connectNanos();
            query.attach(ready.socket());
        }
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

    private void connect() {
        transport.connect(transport.findPort(), "find").onComplete(ar -> {
            if (ar.failed()) {
                abort(ar.cause());
            } else if (promise.future().isComplete()) {
                ar.result().close();
            } else {
                attach(ar.result());
            }
        });
    }

    // Each handler acts only while its socket is the query's: one given up for a new connection is ignored.
    private void attach(NetSocket s) {
        socket = s;
        s.handler(data -> {
            if (socket == s) {
                onData(data);
            }
        });
        s.closeHandler(v -> {
            if (socket == s) {
                onEnd();
            }
        });
        s.exceptionHandler(e -> {
            if (socket != s) {
                return;
            }
            if (pooled && received == 0) {
                // e.g. reset: the bridge had closed it before our filter arrived
                runAgain();
            } else {
                abort(new RegistryConnectionException(transport.findPort().toString(), what + ": connection failed: "
                        + e.getMessage(), e));
            }
        });
        s.write(Buffer.buffer(filterLine.getBytes(StandardCharsets.UTF_8))).onFailure(e -> {
            if (socket != s) {
                return;
            }
            if (pooled) {
                runAgain();
            } else {
                abort(new RegistryConnectionException(transport.findPort().toString(), what + ": cannot send the filter: "
                        + e.getMessage(), e));
            }
        });
    }

    /** Gives up a pooled connection that may have been closed before our filter reached the bridge. */
    private void runAgain() {
        NetSocket old = socket;
        socket = null;
        pooled = false;
        old.close();
        connect();
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
        if (pooled && received == 0 && System.nanoTime() - suspectUntil < 0) {
            runAgain();
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
