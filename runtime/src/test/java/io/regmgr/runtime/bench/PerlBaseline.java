package io.regmgr.runtime.bench;

import io.regmgr.Filter;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.RegistryLines;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The baseline every figure is a ratio against: monitors working as the original Perl module's
 * {@code Monitor} does over the line bridge. One event connection; on {@code READY} and on each
 * version line, every monitor opens a NEW find connection, writes its filter line, reads the
 * answer to the close and diffs it against its view. The finds of one change are sent in parallel
 * (the Perl module sends them one after the other, so this baseline is, if anything, faster than
 * the original). Runs on one Vert.x context; for benchmarks only.
 */
final class PerlBaseline implements AutoCloseable {
    private final Vertx vertx;
    private final NetClient net;
    private final int findPort;
    private final List<Filter> filters;
    private final List<Set<String>> views;
    private final BiConsumer<Integer, ServiceEntry> onAdded;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private NetSocket events;

    /**
     * @param vertx where it runs
     * @param filters one monitor per filter
     * @param onAdded told (monitor index, service) for each service a monitor's find newly lists
     */
    PerlBaseline(Vertx vertx, int findPort, List<Filter> filters, BiConsumer<Integer, ServiceEntry> onAdded) {
        this.vertx = vertx;
        this.net = vertx.createNetClient();
        this.findPort = findPort;
        this.filters = filters;
        this.views = filters.stream().map(f -> (Set<String>) new HashSet<String>()).toList();
        this.onAdded = onAdded;
    }

    /** Connects the event port; completes once every monitor has read its first answer. */
    CompletableFuture<Void> start(int eventPort) {
        vertx.runOnContext(v -> net.connect(eventPort, "127.0.0.1").onSuccess(socket -> {
            events = socket;
            socket.handler(RecordParser.newDelimited("\n", line -> {
                Future<Void> all = refreshAll();
                if (line.toString().equals("READY")) {
                    all.onComplete(ar -> ready.complete(null));
                }
            }));
        }).onFailure(ready::completeExceptionally));
        return ready;
    }

    private Future<Void> refreshAll() {
        List<Future<Void>> finds = new java.util.ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            finds.add(find(i));
        }
        return Future.join(finds).mapEmpty();
    }

    /** One new find connection: filter line, answer to the close, diff against the view. */
    private Future<Void> find(int monitor) {
        Promise<Void> done = Promise.promise();
        net.connect(findPort, "127.0.0.1").onSuccess(socket -> {
            Buffer answer = Buffer.buffer();
            socket.handler(answer::appendBuffer);
            socket.endHandler(v -> {
                diff(monitor, RegistryLines.parseAll(answer.toString(), Integer.MAX_VALUE));
                done.tryComplete();
            });
            socket.exceptionHandler(done::tryFail);
            socket.write(RegistryLines.formatFilter(filters.get(monitor)) + "\n");
        }).onFailure(done::fail);
        return done.future();
    }

    private void diff(int monitor, List<ServiceEntry> found) {
        Set<String> view = views.get(monitor);
        Set<String> now = new HashSet<>();
        for (ServiceEntry e : found) {
            now.add(e.name());
            if (!view.contains(e.name())) {
                onAdded.accept(monitor, e);
            }
        }
        view.retainAll(now);
        view.addAll(now);
    }

    @Override
    public void close() {
        if (events != null) {
            events.close();
        }
        net.close();
    }
}
