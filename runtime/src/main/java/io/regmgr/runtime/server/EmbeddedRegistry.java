package io.regmgr.runtime.server;

import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.DialAddress;
import io.regmgr.runtime.auth.KeyFile;
import io.regmgr.runtime.auth.link.AuthSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.lang.System.Logger.Level;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * An in-process Inferno registry(4): the same files, error strings and event semantics as the
 * real one, served over 9P2000 and over the line bridge. For tests, for the example app, and for
 * users' own tests.
 *
 * <pre>{@code
 * try (EmbeddedRegistry registry = EmbeddedRegistry.builder().build().start()) {
 *     int port = registry.styxPort();          // chosen by the OS
 *     ...
 *     registry.stop();                         // like a registry crash: every client is cut
 *     registry.start();                        // same ports, fresh state, version back to 0
 * }
 * }</pre>
 *
 * <p>Lifecycle: {@link #start()} binds (the first time on the configured ports, later on the same
 * ports as the first start), {@link #stop()} closes every connection and forgets every dynamic
 * service, as a restart of the real registry does; static services come back on each start.
 * {@link #close()} stops and releases the Vert.x instance if this registry created it.
 *
 * <p>Thread-safety: all methods may be called from any thread except a Vert.x event loop (they
 * block until done); the registry's state lives on one Vert.x context and needs no locks.
 */
public final class EmbeddedRegistry implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddedRegistry.class.getName());
    private static final long TIMEOUT_SECONDS = 30;
    private static final int REBIND_TRIES = 250;
    private static final long REBIND_INTERVAL_MS = 4;

    private final RegistryConfig config;
    /** Its Vert.x instance; one it owns is made by a start and released when that start fails (null meanwhile). */
    private volatile Vertx vertx;
    /**
     * Counts stops (a failed start ends in one): a bind retry of a start that has ended since gives
     * up instead of listening with that start's handler. On the registry's context.
     */
    private long starts;
    private final boolean ownsVertx;
    private volatile Context context;
    private final RegistryCounters counters = new RegistryCounters();
    private final List<NetServer> servers = new ArrayList<>();
    private final Set<NetSocket> sockets = new HashSet<>();
    private final AtomicReference<Ports> ports = new AtomicReference<>();
    private RegistryState state;
    private ServiceQueue queue;
    private boolean closed;

    private final AuthSettings authentication;

    private EmbeddedRegistry(RegistryConfig config, AuthSettings authentication) {
        this.config = config;
        this.authentication = authentication;
        this.ownsVertx = config.vertx() == null;
        if (!ownsVertx) {
            this.vertx = config.vertx();
            this.context = vertx.getOrCreateContext();
        }
    }

    /** @return a builder with the defaults: 9P on a loopback port chosen by the OS, bridge off */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts serving; the first start binds the configured addresses, later starts the same ports.
     *
     * <p>A start that fails leaves nothing running: what it bound is closed and the registry's own
     * Vert.x instance (made by the start) is released with its threads before the exception is
     * thrown, since a caller of {@code build().start()} never gets a reference to close it with.
     * A later start may succeed (once the port is free).
     *
     * @return this registry
     * @throws RegistryServerException if a port cannot be bound or the static services cannot be read
     */
    public synchronized EmbeddedRegistry start() {
        if (closed) {
            throw new IllegalStateException("registry is closed");
        }
        if (state != null) {
            return this;
        }
        try {
            List<ServiceEntry> statics = config.loadStaticServices();
            if (vertx == null) {
                // The registry reads no files through Vert.x: no class-path file cache (a directory and a
                // UUID, hence SecureRandom, at start). It runs on one context, hence one event loop: no
                // selectors opened for loops it would never use.
                vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setFileSystemOptions(
                        new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false)));
                context = vertx.getOrCreateContext();
                StartupTrace.mark("Vert.x");
            }
            String serving = await(onContext(v -> startOnContext(statics)), "start");
            StartupTrace.mark("listening");
            // Logged here, not on the registry's event loop, where the logger's first set-up would hold
            // back the first clients' requests.
            LOG.log(Level.INFO, serving);
        } catch (RuntimeException | Error failure) {
            releaseOwnVertx(failure);
            throw failure;
        }
        return this;
    }

    /** After a failed start: closes the Vert.x instance this registry made, so that none of its threads stay. */
    private void releaseOwnVertx(Throwable failure) {
        Vertx own = vertx;
        if (!ownsVertx || own == null) {
            return;
        }
        vertx = null;
        context = null;
        try {
            await(own.close().toCompletionStage().toCompletableFuture(), "close after a failed start");
        } catch (RuntimeException also) {
            failure.addSuppressed(also);
        }
    }

    /**
     * {@link #stop()} then {@link #start()}: a restart of the registry, as its clients see one
     * (every connection cut, the same ports, no dynamic services, version 0).
     *
     * @return this registry
     * @throws RegistryServerException if it cannot start again
     */
    public synchronized EmbeddedRegistry restart() {
        stop();
        return start();
    }

    /** @return {@link #start()} without blocking */
    public CompletionStage<EmbeddedRegistry> startAsync() {
        return CompletableFuture.supplyAsync(this::start);
    }

    /**
     * Stops serving: closes the listeners and every connection and drops every dynamic service,
     * as a registry restart does. Does nothing if not running.
     */
    public synchronized void stop() {
        if (state != null) {
            await(onContext(v -> stopOnContext()), "stop");
        }
    }

    /** @return {@link #stop()} without blocking */
    public CompletionStage<Void> stopAsync() {
        return CompletableFuture.runAsync(this::stop);
    }

    /** Stops, then releases the Vert.x instance if this registry created it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            Vertx own = vertx;
            if (ownsVertx && own != null) {
                await(own.close().toCompletionStage().toCompletableFuture(), "close");
            }
        }
    }

    /** @return whether the registry is serving */
    public synchronized boolean isRunning() {
        return state != null;
    }

    /** @return the 9P2000 address actually bound (after the first start) */
    public DialAddress styxAddress() {
        return boundPorts().styx();
    }

    /** @return the 9P2000 port actually bound (after the first start) */
    public int styxPort() {
        return styxAddress().port();
    }

    /**
     * @return the bridge's {@code new} port; its {@code find} and {@code event} ports are
     *     {@link #bridgeFindPort()} and {@link #bridgeEventPort()} (consecutive when possible)
     * @throws IllegalStateException if the bridge is off or the registry never started
     */
    public int bridgeNewPort() {
        return bridgePort(0);
    }

    /** @return the bridge's {@code find} port */
    public int bridgeFindPort() {
        return bridgePort(1);
    }

    /** @return the bridge's {@code event} port */
    public int bridgeEventPort() {
        return bridgePort(2);
    }

    private int bridgePort(int i) {
        int[] bridge = boundPorts().bridge();
        if (bridge == null) {
            throw new IllegalStateException("the line bridge is off");
        }
        return bridge[i];
    }

    private Ports boundPorts() {
        Ports p = ports.get();
        if (p == null) {
            throw new IllegalStateException("registry has not been started");
        }
        return p;
    }

    /** @return the kind of real registry this one behaves like */
    public RegistryProfile profile() {
        return config.limits().profile();
    }

    /** @return the simulated cost of requests ({@link CostModel#NONE} unless set in the builder) */
    public CostModel costModel() {
        return config.costModel();
    }

    /** @return live counters (connections, requests by type, index and find reads) */
    public RegistryCounters counters() {
        return counters;
    }

    /** @return the current event version (0 after each start) */
    public int version() {
        return query(RegistryState::version);
    }

    /** @return every named service, in registration order (what a read of {@code index} lists) */
    public List<ServiceEntry> services() {
        return query(s -> {
            List<ServiceEntry> list = new ArrayList<>();
            s.services().forEach(svc -> list.add(svc.entry()));
            return list;
        });
    }

    /** @return the text a read of {@code index} returns now */
    public String indexText() {
        return query(s -> {
            StringBuilder b = new StringBuilder();
            s.services().forEach(svc -> b.append(svc.line()));
            return b.toString();
        });
    }

    /**
     * Cuts every client connection without stopping, as a network fault would: each connection's
     * services vanish (unless persistent) and an event follows.
     */
    public void dropConnections() {
        await(onContext(v -> {
            new ArrayList<>(sockets).forEach(NetSocket::close);
            return Future.succeededFuture();
        }), "drop connections");
    }

    private <T> T query(Function<RegistryState, T> read) {
        return await(onContext(v -> {
            if (state == null) {
                return Future.failedFuture(new IllegalStateException("registry is not running"));
            }
            return Future.succeededFuture(read.apply(state));
        }), "query");
    }

    /** @return what is served, for the log */
    private Future<String> startOnContext(List<ServiceEntry> statics) {
        RegistryState s = new RegistryState(config.user(), () -> System.currentTimeMillis() / 1000, counters);
        for (ServiceEntry e : statics) {
            String refusal = s.addStatic(e);
            if (refusal != null) {
                LOG.log(Level.WARNING, "static service " + e.name() + " skipped: " + refusal);
            }
        }
        ServiceQueue q = new ServiceQueue(config.costModel(), counters, context);
        queue = q;
        Ports previous = ports.get();
        DialAddress styxAt = previous != null ? previous.styx() : config.styx();
        Future<DialAddress> styx = listen(styxAt, false,
                (socket, closed) -> ServerAuthentication.accept(vertx, authentication, socket, closed,
                        link -> new StyxConnection(link, s, config.limits(), counters, q, closed)))
                .map(server -> new DialAddress(styxAt.host(), server.actualPort()));
        Future<int[]> bridge = config.bridge() == null ? Future.succeededFuture(null)
                : new BridgeBinder((at, handler) -> listen(at, true, handler), new BridgeConnections(s, config.limits(), q, counters))
                        .bind(config.bridge(), previous != null ? previous.bridge() : null);
        state = s;
        return Future.all(styx, bridge).compose(all -> {
            Ports bound = new Ports(styx.result(), bridge.result());
            ports.set(bound);
            return Future.succeededFuture("registry serving 9P2000 on " + bound.styx()
                    + (bound.bridge() == null ? "" : ", line bridge new/find/event on ports "
                    + bound.bridge()[0] + "/" + bound.bridge()[1] + "/" + bound.bridge()[2])
                    + (statics.isEmpty() ? "" : ", " + s.services().size() + " static services")
                    + (profile() == RegistryProfile.DEFAULT ? "" : ", behaving like the "
                            + profile().name().toLowerCase(Locale.ROOT) + " registry profile")
                    + (config.costModel().simulates() ? ", SIMULATING a real registry's costs (one request at a time, "
                            + config.costModel() + ")" : "")
                    + (authentication == null ? "" : ", " + ServerAuthentication.describe(authentication)));
        }).recover(failure -> stopOnContext().transform(ignored -> Future.failedFuture(
                new RegistryServerException("cannot start the registry: " + failure.getMessage(), failure))));
    }

    /**
     * Binds one listener. Each accepted socket is tracked (to be cut by {@link #stop()}) and handed
     * to {@code handler} with the callback its close handler must run. A failure names the address.
     * A restart binds the ports of the first start, which the last stop may not have released yet:
     * Netty completes a listener's close before its event loop's next select closes the socket, so
     * "address already in use" is tried again, {@value #REBIND_TRIES} times {@value #REBIND_INTERVAL_MS} ms apart.
     */
    private Future<NetServer> listen(DialAddress at, boolean bridge, BiConsumer<NetSocket, Runnable> handler) {
        return bind(at, bridge, handler, ports.get() == null ? 0 : REBIND_TRIES).recover(failure -> Future.failedFuture(
                new RegistryServerException("cannot listen for " + (bridge ? "the line bridge" : "9P2000") + " on " + at
                        + ": " + failure.getMessage(), failure)));
    }

    private Future<NetServer> bind(DialAddress at, boolean bridge, BiConsumer<NetSocket, Runnable> handler, int triesLeft) {
        Vertx on = vertx;
        long start = starts;
        NetServerOptions options = new NetServerOptions().setHost(at.host()).setPort(at.port()).setReuseAddress(true);
        NetServer server = on.createNetServer(options);
        server.connectHandler(socket -> {
            if (!servers.contains(server)) {
                // Accepted after stop() closed this listener (Netty closes the socket a little
                // later): such a connection would talk to the stopped registry's state, a zombie
                // session that a client reconnecting at once could keep. A stopped registry refuses.
                socket.close();
                return;
            }
            sockets.add(socket);
            counters.connectionOpened(bridge);
            handler.accept(socket, () -> {
                sockets.remove(socket);
                counters.connectionClosed(bridge);
            });
        });
        servers.add(server);
        return server.listen().recover(failure -> {
            servers.remove(server);
            if (triesLeft == 0 || !(failure instanceof BindException || failure.getCause() instanceof BindException)) {
                return Future.failedFuture(failure);
            }
            Promise<NetServer> again = Promise.promise();
            on.setTimer(REBIND_INTERVAL_MS, id -> {
                if (start != starts) {
                    // this start failed or was stopped meanwhile: its handler serves a state that is gone
                    again.fail(failure);
                    return;
                }
                bind(at, bridge, handler, triesLeft - 1).onComplete(again);
            });
            return again.future();
        });
    }

    private Future<Void> stopOnContext() {
        starts++;
        state = null;
        if (queue != null) {
            queue.stop();
            queue = null;
        }
        List<Future<Void>> closing = new ArrayList<>();
        servers.forEach(s -> closing.add(s.close()));
        servers.clear();
        new ArrayList<>(sockets).forEach(NetSocket::close);
        return Future.join(new ArrayList<>(closing)).<Void>mapEmpty().otherwiseEmpty();
    }

    private <T> CompletableFuture<T> onContext(Function<Void, Future<T>> action) {
        Context on = context;
        if (on == null) { // never started, or its last start failed: nothing runs
            return CompletableFuture.failedFuture(new IllegalStateException("registry is not running"));
        }
        Promise<T> promise = Promise.promise();
        on.runOnContext(v -> {
            try {
                action.apply(null).onComplete(promise);
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future().toCompletionStage().toCompletableFuture();
    }

    private static <T> T await(CompletableFuture<T> future, String what) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("EmbeddedRegistry." + what + " blocks: call it off the event loop, or use the async variant");
        }
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryServerException("interrupted during " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new RegistryServerException(what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new RegistryServerException(what + " did not finish within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    /** What the registry is bound to: the 9P address and the bridge's three ports (or null). */
    private record Ports(DialAddress styx, int[] bridge) {
    }

    /** Configures an {@link EmbeddedRegistry}. Not thread-safe; build once. */
    public static final class Builder {
        private DialAddress styx = new DialAddress("127.0.0.1", 0);
        private DialAddress bridge;
        private Path staticServicesFile;
        private final List<ServiceEntry> staticServices = new ArrayList<>();
        private String user = "registry";
        private RegistryProfile profile = RegistryProfile.DEFAULT;
        private int maxMessageSize;
        private int maxFids = 65536;
        private int maxLineLength = 8191;
        private CostModel costModel = CostModel.NONE;
        private Vertx vertx;
        private AuthSettings authentication;

        private Builder() {
        }

        /**
         * @param address where 9P2000 is served: a dial string or host:port; port 0 lets the OS choose.
         *     Default {@code tcp!127.0.0.1!0}
         * @return this builder
         */
        public Builder styx(String address) {
            this.styx = DialAddress.parse(address);
            return this;
        }

        /**
         * @param address the line bridge's {@code new} port (find and event follow at +1 and +2), or
         *     {@code off}; port 0 picks free ports. Default off
         * @return this builder
         */
        public Builder bridge(String address) {
            this.bridge = "off".equals(address) ? null : DialAddress.parse(address);
            return this;
        }

        /**
         * @param attrdbFile static services in attrdb(6) form, loaded at every start (like {@code -f})
         * @return this builder
         */
        public Builder staticServices(Path attrdbFile) {
            this.staticServicesFile = attrdbFile;
            return this;
        }

        /**
         * @param entry a persistent service owned by the registry, present from every start
         * @return this builder
         */
        public Builder staticService(ServiceEntry entry) {
            this.staticServices.add(Objects.requireNonNull(entry));
            return this;
        }

        /**
         * @param name the registry's own user: owner of its files, of static services and of every
         *     service registered over the line bridge. Default {@code registry}
         * @return this builder
         */
        public Builder user(String name) {
            this.user = Objects.requireNonNull(name);
            return this;
        }

        /**
         * @param kind which kind of real registry to behave like (see {@link RegistryProfile}).
         *     Default {@link RegistryProfile#DEFAULT}; {@link RegistryProfile#EXPORTED} is how real
         *     registries are usually reached
         * @return this builder
         */
        public Builder profile(RegistryProfile kind) {
            this.profile = Objects.requireNonNull(kind, "profile");
            return this;
        }

        /**
         * @param bytes the largest 9P message accepted, the msize offered. Default: the profile's
         *     ({@link RegistryProfile#maxMessageSize()}: 65560, or 8216 for a direct registry); at least 256
         * @return this builder
         */
        public Builder maxMessageSize(int bytes) {
            if (bytes < StyxSession.MIN_MSIZE) {
                throw new IllegalArgumentException("maxMessageSize " + bytes + " is below " + StyxSession.MIN_MSIZE);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * @param count fids one 9P connection may hold at once; further attaches and walks answer
         *     {@code too many fids}. Default 65536 (one manager registering 10,000 services holds 10,000 fids)
         * @return this builder
         */
        public Builder maxFidsPerConnection(int count) {
            this.maxFids = count;
            return this;
        }

        /**
         * @param bytes the longest line accepted on the bridge, newline included; a longer one closes
         *     the connection. Default 8191 (the real bridge splits a line of 8192 bytes and fails it)
         * @return this builder
         */
        public Builder maxLineLength(int bytes) {
            this.maxLineLength = bytes;
            return this;
        }

        /**
         * @param model a SIMULATION of a real registry's costs, for benchmarks: requests are served
         *     one at a time and each reply is held for its simulated service time (see
         *     {@link CostModel}). Default {@link CostModel#NONE}: as fast as possible
         * @return this builder
         */
        public Builder costModel(CostModel model) {
            this.costModel = Objects.requireNonNull(model, "costModel");
            return this;
        }

        /**
         * @param shared a Vert.x instance to run on, which the registry will not close. Default: its own
         * @return this builder
         */
        public Builder vertx(Vertx shared) {
            this.vertx = shared;
            return this;
        }

        /**
         * Requires Inferno authentication on the 9P port, as {@code listen -k KEY [-a ALG]...}: each
         * client must hold a key signed by this key's signer, and the authenticated name (the
         * client's key owner) owns what that client registers, whatever its attach names. Default:
         * none, as {@code listen -A}. The line bridge is never authenticated.
         *
         * @param key this registry's key file
         * @param algorithms the record algorithm words clients may use, one word each; empty for
         *     what a stock {@code listen} allows ({@code none}, every cipher and hash)
         * @return this builder
         */
        public Builder authentication(KeyFile key, List<String> algorithms) {
            this.authentication = AuthSettings.server(key, algorithms);
            return this;
        }

        /**
         * @param deadline how long a client may take to authenticate and name its algorithm before
         *     it is cut off (default {@link AuthSettings#DEFAULT_DEADLINE}); only with {@link #authentication}
         * @return this builder
         */
        public Builder authenticationDeadline(Duration deadline) {
            if (authentication == null) {
                throw new IllegalStateException("authenticationDeadline needs authentication(key, algorithms) first");
            }
            this.authentication = authentication.withDeadline(deadline);
            return this;
        }

        /** @return a registry, not yet started */
        public EmbeddedRegistry build() {
            return new EmbeddedRegistry(new RegistryConfig(styx, bridge, staticServicesFile, List.copyOf(staticServices),
                    user, new ServerLimits(maxMessageSize > 0 ? maxMessageSize : profile.maxMessageSize(), maxFids, maxLineLength,
                    profile), costModel, vertx), authentication);
        }
    }
}
