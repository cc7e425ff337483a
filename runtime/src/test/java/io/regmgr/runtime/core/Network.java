package io.regmgr.runtime.core;

import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.BridgeConnector;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A test network on loopback: an embedded registry serving 9P and the line bridge on ports chosen
 * by the OS, one Vert.x instance for connectors, managers and proxies, optional fault proxies in
 * front of the registry, and other clients. Closes everything it made, newest first.
 */
final class Network implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    final Vertx vertx = Vertx.vertx();
    final EmbeddedRegistry registry;
    private final List<AutoCloseable> made = Collections.synchronizedList(new ArrayList<>());
    private final List<FaultProxy> proxies = Collections.synchronizedList(new ArrayList<>());

    Network() {
        this(RegistryProfile.DEFAULT);
    }

    /** @param profile the kind of real registry the embedded one behaves like */
    Network(RegistryProfile profile) {
        this(profile, UnaryOperator.identity());
    }

    /**
     * @param profile the kind of real registry the embedded one behaves like
     * @param registryConfig adds to the registry's configuration (9P and the bridge on OS-chosen ports), e.g. static services
     */
    Network(RegistryProfile profile, UnaryOperator<EmbeddedRegistry.Builder> registryConfig) {
        registry = registryConfig.apply(EmbeddedRegistry.builder().profile(profile).bridge("tcp!127.0.0.1!0")).build().start();
    }

    /**
     * @param transport which transport
     * @param viaProxy whether to reach the registry through fault proxies (see {@link #proxies()})
     * @return connector options for it, sharing this network's Vert.x
     */
    ConnectorOptions.Builder options(Transport transport, boolean viaProxy) {
        ConnectorOptions.Builder b;
        if (transport == Transport.STYX) {
            b = ConnectorOptions.builder("tcp!127.0.0.1!" + port(registry.styxPort(), viaProxy));
        } else {
            b = ConnectorOptions.builder("tcp!127.0.0.1!" + port(registry.bridgeNewPort(), viaProxy))
                    .bridgePorts(port(registry.bridgeFindPort(), viaProxy), port(registry.bridgeEventPort(), viaProxy));
        }
        return b.vertx(vertx);
    }

    private int port(int registryPort, boolean viaProxy) {
        if (!viaProxy) {
            return registryPort;
        }
        FaultProxy p = FaultProxy.start(vertx, registryPort);
        proxies.add(p);
        made.add(p);
        return p.port();
    }

    /** @return every proxy made so far, controlled together */
    Proxies proxies() {
        return new Proxies(List.copyOf(proxies));
    }

    RegistryConnector connector(Transport transport, ConnectorOptions options) {
        RegistryConnector c = transport == Transport.STYX ? new StyxConnector(options) : new BridgeConnector(options);
        made.add(c);
        return c;
    }

    /** @return a manager on this network's Vert.x, reaching the registry directly */
    RegistryManager manager(Transport transport) {
        return manager(transport, false, UnaryOperator.identity(), ManagerOptions.builder());
    }

    RegistryManager manager(Transport transport, boolean viaProxy, UnaryOperator<ConnectorOptions.Builder> connector,
            ManagerOptions.Builder manager) {
        RegistryConnector c = connector(transport, connector.apply(options(transport, viaProxy)).build());
        RegistryManager m = RegistryManagers.create(c, manager.vertx(vertx).build());
        made.add(m);
        return m;
    }

    /** @return another client of the registry, over 9P straight to it */
    OtherClient otherClient() {
        StyxConnector c = new StyxConnector(options(Transport.STYX, false).build());
        made.add(c);
        RegistrySession s = join(c.connect(new SessionListener() {
            @Override
            public void changed(long version) {
            }

            @Override
            public void closed(Throwable cause) {
            }
        }));
        return new OtherClient(s);
    }

    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (Exception e) {
            throw new AssertionError("stage failed or timed out: " + e, e);
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(made);
        Collections.reverse(all);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // going on: the rest must be closed too
            }
        }
        registry.close();
        join(vertx.close().toCompletionStage());
    }

    /** Another registry client, registering over its own 9P session. */
    static final class OtherClient {
        final RegistrySession session;

        OtherClient(RegistrySession session) {
            this.session = session;
        }

        Registration register(ServiceEntry entry) {
            return join(session.register(entry, RegistrationListener.NONE));
        }
    }

    /** The fault proxies of a manager, controlled together (the bridge has three ports). */
    static final class Proxies {
        private final List<FaultProxy> all;

        Proxies(List<FaultProxy> all) {
            this.all = all;
        }

        /** @return the one proxy made (a 9P manager's), failing the test if there are several */
        FaultProxy single() {
            if (all.size() != 1) {
                throw new AssertionError("expected one proxy, made " + all.size());
            }
            return all.get(0);
        }

        /**
         * Cuts every connection of every proxy as one fault: first no proxy forwards anything, then
         * each closes. Cut proxy by proxy instead, the bridge's registration connection (port 'new')
         * closed first and the registry removed the service and announced it on the event
         * connection, which the 'event' proxy, not yet cut, still forwarded: the manager heard a
         * live removal of its own service before it even lost its session (a partial cut, not this fault).
         */
        void cutAll() {
            all.forEach(FaultProxy::stopForwarding);
            all.forEach(FaultProxy::cutAll);
        }

        void cutClientSideOnly() {
            all.forEach(FaultProxy::cutClientSideOnly);
        }

        void releaseRegistrySides() {
            all.forEach(FaultProxy::releaseRegistrySides);
        }

        void blackhole(boolean on) {
            all.forEach(p -> p.blackhole(on));
        }

        void refuse(boolean on) {
            all.forEach(p -> p.refuse(on));
        }

        void delay(Duration d) {
            all.forEach(p -> p.delay(d));
        }
    }
}
