package io.regmgr.runtime.server;

import io.regmgr.Filter;
import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.runtime.protocol.RecordSplitter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The line bridge ("reg2tcp"): the registry's {@code new}, {@code find} and {@code event} files
 * served as three plain TCP ports, one line at a time, as the Perl module's bridge script serves
 * them. No error is ever written back: a refusal closes the connection, as the real bridge does.
 * Runs on the registry's context.
 */
final class BridgeConnections {
    private static final System.Logger LOG = System.getLogger(BridgeConnections.class.getName());
    private static final byte[] READY = "READY\n".getBytes(StandardCharsets.US_ASCII);

    private final RegistryState state;
    private final ServerLimits limits;
    private final ServiceQueue queue;
    private final RegistryCounters counters;

    BridgeConnections(RegistryState state, ServerLimits limits, ServiceQueue queue, RegistryCounters counters) {
        this.state = state;
        this.limits = limits;
        this.queue = queue;
        this.counters = counters;
    }

    /**
     * The {@code new} port: the first line names the service, each further line updates it;
     * closing the connection unregisters it (unless {@code persist}); any refusal closes.
     */
    void acceptNew(NetSocket socket, Runnable onClosed) {
        Service service = state.openNew(state.registryUser(), socket);
        queue.submit(CostModel.BRIDGE_OPEN_REQUESTS, () -> { });
        // set on a refusal or a close: lines still queued then are not applied
        boolean[] over = {false};
        socket.closeHandler(v -> {
            over[0] = true;
            state.release(service, false);
            onClosed.run();
        });
        readLines(socket, "bridge new", line -> queue.submit(1, () -> {
            if (!over[0]) {
                guard(socket, "bridge new", over, () -> state.write(service, line.getBytes(StandardCharsets.UTF_8)));
            }
        }));
    }

    /**
     * The {@code find} port: one filter line (with {@link RegistryProfile#EXPORTED}, as on the real
     * bridge, whatever the first read returns), then the matching services and a close. As with the
     * real bridge, an odd or blank filter matches everything and a CR stays in the last value.
     * As the bridge script's {@code <>[3]/mnt/registry/find} does, the find file is opened when the
     * connection is accepted ({@link CostModel#BRIDGE_FIND_OPEN_REQUESTS}, before any filter); the
     * filter's write and the reads ({@link CostModel#BRIDGE_FIND_ANSWER_REQUESTS}) when it arrives.
     */
    void acceptFind(NetSocket socket, Runnable onClosed) {
        socket.closeHandler(v -> onClosed.run());
        counters.bridgeFindAccepted();
        int acceptedAt = state.version();
        queue.submit(CostModel.BRIDGE_FIND_OPEN_REQUESTS, () -> { });
        boolean[] answered = {false};
        Consumer<byte[]> answer = filterBytes -> {
            if (answered[0]) {
                return;
            }
            answered[0] = true;
            counters.bridgeFindFilter(state.version() != acceptedAt);
            queue.submit(CostModel.BRIDGE_FIND_ANSWER_REQUESTS, queue.model().bridgeFindLatency().toNanos(), () -> {
                byte[] found = state.find(filterOf(filterBytes));
                queue.output(() -> socket.end(Buffer.buffer(found)));
            });
        };
        if (limits.profile().findFilterIsOneChunk()) {
            socket.handler(chunk -> answer.accept(chunk.getBytes()));
            socket.endHandler(v -> answer.accept(new byte[0]));
        } else {
            readLines(socket, "bridge find", line -> answer.accept(line.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** As the real bridge: an odd or blank filter matches everything. */
    private static Filter filterOf(byte[] filterBytes) {
        try {
            return RegistryState.parseFilter(filterBytes);
        } catch (RegistryError e) {
            return Filter.all();
        }
    }

    /**
     * The {@code event} port: {@code READY\n} once the event file is open, then one version line
     * per change, coalesced while the client is slow to read. Input is discarded.
     */
    void acceptEvent(NetSocket socket, Runnable onClosed) {
        RegistryState.EventWatch watch = state.watchEvents();
        socket.handler(ignored -> { });
        socket.closeHandler(v -> {
            state.cancel(watch);
            onClosed.run();
        });
        socket.write(Buffer.buffer(READY));
        awaitEvent(socket, watch);
    }

    private void awaitEvent(NetSocket socket, RegistryState.EventWatch watch) {
        // the bridge's read of the event file is one registry request per change
        state.readEvent(watch, RegistryState.EVENT_RECORD, record -> queue.submit(1, () -> queue.output(() -> {
            socket.write(Buffer.buffer(record));
            if (socket.writeQueueFull()) {
                socket.drainHandler(v -> awaitEvent(socket, watch));
            } else {
                awaitEvent(socket, watch);
            }
        })));
    }

    /**
     * Feeds the socket's input to {@code onLine} one line at a time. A last line without its
     * newline is still applied when the client closes, as the real bridge passes on whatever it
     * read. A refusal or a broken limit closes the connection.
     */
    private void readLines(NetSocket socket, String port, Consumer<String> onLine) {
        RecordSplitter splitter = new RecordSplitter(limits.maxLineLength() - 1, port + " from " + socket.remoteAddress(), onLine);
        boolean[] failed = {false};
        socket.handler(data -> {
            byte[] bytes = data.getBytes();
            guard(socket, port, failed, () -> splitter.feed(bytes, 0, bytes.length));
        });
        socket.endHandler(v -> {
            if (!failed[0]) {
                guard(socket, port, failed, () -> splitter.finish().ifPresent(onLine));
            }
        });
    }

    private static void guard(NetSocket socket, String port, boolean[] failed, Runnable step) {
        try {
            step.run();
        } catch (RegistryError e) {
            failed[0] = true;
            LOG.log(Level.DEBUG, () -> port + " from " + socket.remoteAddress() + " refused: " + e.getMessage());
            socket.close();
        } catch (ProtocolViolationException | LimitExceededException e) {
            failed[0] = true;
            LOG.log(Level.INFO, () -> "closing " + port + " connection: " + e.getMessage());
            socket.close();
        }
    }
}
