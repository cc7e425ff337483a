package io.regmgr.runtime.client;

import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;

/**
 * What the client's network tests share: one Vert.x instance per test class, on which the
 * registries and connectors made here run, and everything a test opens here (registries, scripted
 * servers, connectors), closed after that test, the last opened first. Registered as a static field
 * ({@code @RegisterExtension static final ClientFixture NET = new ClientFixture();}), so that it
 * sees both the class and each test. Closing twice is harmless: a test may close what it opened
 * here itself.
 */
final class ClientFixture implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private Vertx vertx;

    @Override
    public void beforeAll(ExtensionContext context) {
        vertx = Vertx.vertx();
    }

    /** Closes what the test opened here, every one even if some fail; the first failure is thrown. */
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception failure = null;
        for (AutoCloseable c = opened.poll(); c != null; c = opened.poll()) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Stages.join(vertx.close().toCompletionStage());
    }

    /** @return the test class's Vert.x instance */
    Vertx vertx() {
        return vertx;
    }

    /**
     * @param closeable something the test opened
     * @return {@code closeable}, to be closed after the test
     */
    <T extends AutoCloseable> T closeAfter(T closeable) {
        opened.push(closeable);
        return closeable;
    }

    /** @return a started registry on this Vert.x, 9P on a loopback port chosen by the OS */
    EmbeddedRegistry registry() {
        return registry(UnaryOperator.identity());
    }

    /**
     * @param settings further settings of the registry
     * @return a started registry on this Vert.x, 9P on a loopback port chosen by the OS, with {@code settings}
     */
    EmbeddedRegistry registry(UnaryOperator<EmbeddedRegistry.Builder> settings) {
        return closeAfter(settings.apply(EmbeddedRegistry.builder().vertx(vertx)).build().start());
    }

    /** @return a started registry on this Vert.x, with its line bridge on loopback ports chosen by the OS */
    EmbeddedRegistry bridgeRegistry() {
        return bridgeRegistry(RegistryProfile.DEFAULT);
    }

    /**
     * @param profile the kind of real registry to behave like
     * @return a started registry on this Vert.x with {@code profile}, 9P and its line bridge on loopback ports chosen by the OS
     */
    EmbeddedRegistry bridgeRegistry(RegistryProfile profile) {
        return registry(b -> b.profile(profile).bridge("tcp!127.0.0.1!0"));
    }

    /**
     * @param behavior what the server does with each connection
     * @return a scripted server on a loopback port
     */
    ScriptedServer server(ScriptedServer.Behavior behavior) {
        return closeAfter(new ScriptedServer(behavior));
    }

    /**
     * @param options the connector's options but its Vert.x instance
     * @return a 9P connector on this Vert.x
     */
    StyxConnector styx(ConnectorOptions.Builder options) {
        return closeAfter(new StyxConnector(options.vertx(vertx).build()));
    }

    /**
     * @param options the connector's options but its Vert.x instance
     * @return a line bridge connector on this Vert.x
     */
    BridgeConnector bridge(ConnectorOptions.Builder options) {
        return closeAfter(new BridgeConnector(options.vertx(vertx).build()));
    }
}
