package io.regmgr.runtime.server;

import static io.regmgr.runtime.server.Eventually.eventually;
import static io.regmgr.runtime.server.StyxSteps.ROOT;
import static io.regmgr.runtime.server.StyxSteps.expect;
import static io.regmgr.runtime.server.StyxSteps.read;
import static io.regmgr.runtime.server.StyxSteps.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.StyxMessage.Rstat;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Starting, stopping, restarting and closing an embedded registry with clients connected over
 * loopback; start-up failures; cutting every connection; the command-line launcher.
 */
class EmbeddedRegistryLifecycleTest {
    private static final ServiceEntry BUILTIN = ServiceEntry.of("builtin", "proto", "tcp");
    private static final ServiceEntry FROM_FILE = ServiceEntry.of("fromfile", "proto", "tcp", "addr", "tcp!h!1");

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    private Path attrDb(String text) throws IOException {
        Path file = dir.resolve("services.db");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** A running registry with the bridge, one static service from the builder and one from a file. */
    private EmbeddedRegistry registryWithStatics() throws IOException {
        Path db = attrDb("# static services\nservice=fromfile proto=tcp\n\taddr=tcp!h!1\n");
        return closeLater(EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").staticService(BUILTIN)
                .staticServices(db).build().start());
    }

    private static String ownerOverStyx(StyxTestClient c, int fid, String service) {
        expect(c.walk(ROOT, fid, service), Rwalk.class, "walk to " + service);
        String uid = expect(c.rpc(new Tstat(c.nextTag(), fid)), Rstat.class, "Tstat of " + service).stat().uid();
        c.clunk(fid);
        return uid;
    }

    @Test
    void stopCutsEveryClientAndStartServesTheSamePortsWithAFreshState() throws IOException {
        EmbeddedRegistry registry = registryWithStatics();
        assertThat(registry.services()).as("services at the first start").containsExactly(BUILTIN, FROM_FILE);
        StyxTestClient alice = closeLater(StyxSteps.attached(registry.styxPort(), "alice"));
        register(alice, 1, "dynamic proto tcp persist 1");
        BridgeTestClient bridgeNew = closeLater(BridgeTestClient.connect(registry.bridgeNewPort()));
        bridgeNew.sendLine("bridged proto tcp persist 1");
        BridgeTestClient events = closeLater(BridgeTestClient.connect(registry.bridgeEventPort()));
        assertThat(events.readLine()).as("event port greeting").isEqualTo("READY");
        eventually().untilAsserted(() -> assertThat(registry.version()).as("version before stop").isEqualTo(2));
        int styx = registry.styxPort();
        List<Integer> bridge = List.of(registry.bridgeNewPort(), registry.bridgeFindPort(), registry.bridgeEventPort());

        registry.stop();

        assertThat(registry.isRunning()).as("running after stop").isFalse();
        assertThat(alice.isClosedByPeer()).as("9P client cut by stop").isTrue();
        assertThat(bridgeNew.readToEnd()).as("bytes on the bridge new connection, up to its end").isEmpty();
        assertThat(events.readToEnd()).as("bytes on the event connection up to its end: at most the version 2 line")
                .matches("(00000002\n)?");
        assertThatThrownBy(() -> StyxTestClient.connect(styx).close()).as("connecting while stopped")
                .isInstanceOf(UncheckedIOException.class);
        eventually().untilAsserted(() -> assertThat(registry.counters().openConnections())
                .as("open connections after stop").isZero());

        registry.start();

        assertThat(registry.styxPort()).as("9P port after restart").isEqualTo(styx);
        assertThat(List.of(registry.bridgeNewPort(), registry.bridgeFindPort(), registry.bridgeEventPort()))
                .as("bridge ports after restart").isEqualTo(bridge);
        assertThat(registry.version()).as("version after restart").isZero();
        assertThat(registry.services()).as("services after restart: the static ones only, persist notwithstanding")
                .containsExactly(BUILTIN, FROM_FILE);
        BridgeTestClient eventsAgain = closeLater(BridgeTestClient.connect(registry.bridgeEventPort()));
        assertThat(eventsAgain.readLine()).as("event port greeting after restart").isEqualTo("READY");
        StyxTestClient bob = closeLater(StyxSteps.attached(styx, "bob"));
        assertThat(ownerOverStyx(bob, 1, "builtin")).as("owner of the builder's static service").isEqualTo("registry");
        assertThat(ownerOverStyx(bob, 1, "fromfile")).as("owner of the file's static service").isEqualTo("registry");
        register(bob, 2, "again proto tcp");
        assertThat(eventsAgain.readLine()).as("first event after restart").isEqualTo("00000001");
    }

    @Test
    void restartCutsClientsAndReturnsListeningOnTheSamePortWithOnlyTheStaticServices() throws IOException {
        EmbeddedRegistry registry = registryWithStatics();
        StyxTestClient alice = closeLater(StyxSteps.attached(registry.styxPort(), "alice"));
        register(alice, 1, "dynamic proto tcp persist 1");
        int styx = registry.styxPort();

        assertThat(registry.restart()).as("restart() returns the registry").isSameAs(registry);

        assertThat(alice.isClosedByPeer()).as("9P client cut by restart").isTrue();
        assertThat(registry.styxPort()).as("9P port after restart").isEqualTo(styx);
        assertThat(registry.version()).as("version after restart").isZero();
        assertThat(registry.services()).as("services after restart").containsExactly(BUILTIN, FROM_FILE);
        try (StyxTestClient bob = StyxSteps.attached(styx, "bob")) {
            assertThat(read(bob, 1, "index")).as("index read at once after restart")
                    .isEqualTo("builtin proto tcp\nfromfile proto tcp addr tcp!h!1\n");
        }
    }

    @Test
    void everyRestartOfManyInARowBindsTheSamePortsAgain() {
        // Without waiting for the ports to be released, about one restart in thirty failed here
        // with "address already in use" (the listener's close completes before its socket closes).
        EmbeddedRegistry registry = closeLater(EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").build().start());
        List<Integer> ports = List.of(registry.styxPort(), registry.bridgeNewPort(), registry.bridgeFindPort(),
                registry.bridgeEventPort());

        for (int i = 0; i < 300; i++) {
            registry.restart();
        }

        assertThat(List.of(registry.styxPort(), registry.bridgeNewPort(), registry.bridgeFindPort(),
                registry.bridgeEventPort())).as("ports after 300 restarts").isEqualTo(ports);
        try (StyxTestClient c = StyxSteps.attached(registry.styxPort(), "alice")) {
            assertThat(read(c, 1, "index")).as("index after 300 restarts").isEmpty();
        }
    }

    @Test
    void closeIsIdempotentAndFinal() {
        EmbeddedRegistry registry = EmbeddedRegistry.builder().build().start();
        int port = registry.styxPort();

        registry.close();

        assertThatCode(registry::close).as("a second close").doesNotThrowAnyException();
        assertThat(registry.isRunning()).as("running after close").isFalse();
        assertThatThrownBy(() -> StyxTestClient.connect(port).close()).as("connecting after close")
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(registry::start).as("start after close").isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unterminated quote", "missing file", "directory"})
    void aBadStaticFileMakesStartFailNamingTheFileAndTheReason(String problem) throws IOException {
        Path file = switch (problem) {
            case "missing file" -> dir.resolve("absent.db");
            case "directory" -> dir;
            default -> attrDb("service=ok proto=tcp\nservice=bad proto='tcp\n");
        };
        String reason = switch (problem) {
            case "missing file" -> ": no such file";
            case "directory" -> ": Is a directory";
            default -> "unterminated";
        };
        EmbeddedRegistry registry = closeLater(EmbeddedRegistry.builder().staticServices(file).build());

        assertThatThrownBy(registry::start).as("start with a static file with a %s", problem)
                .isInstanceOf(RegistryServerException.class)
                .hasMessageContaining("cannot read static services from " + file + ": ")
                .hasMessageContaining(reason);
        assertThat(registry.isRunning()).as("running after the failed start").isFalse();
    }

    @Test
    void theLauncherNamesWhyItCannotReadTheStaticFileWithoutRepeatingThePath() {
        Path absent = dir.resolve("nonexistent.db");
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RegistryLauncher.launch(new String[] {"--styx", "tcp!127.0.0.1!0", "--bridge", "off",
            "-f", absent.toString()}, out))
                .as("the launcher with -f naming a file that does not exist")
                .isInstanceOf(RegistryServerException.class)
                .hasMessageEndingWith("cannot read static services from " + absent + ": no such file");
    }

    @Test
    void aSecondRegistryOnATakenStyxPortFailsToStartNamingTheAddressAndCanStartOnceItIsFree() {
        EmbeddedRegistry first = closeLater(EmbeddedRegistry.builder().build().start());
        int port = first.styxPort();
        EmbeddedRegistry second = closeLater(EmbeddedRegistry.builder().styx("tcp!127.0.0.1!" + port).build());

        assertThatThrownBy(second::start).as("start on a port in use")
                .isInstanceOf(RegistryServerException.class)
                .hasMessageContaining("9P2000 on tcp!127.0.0.1!" + port);
        assertThat(second.isRunning()).as("second registry running").isFalse();
        try (StyxTestClient c = StyxSteps.attached(port, "alice")) {
            assertThat(read(c, 1, "index")).as("index of the first registry, still serving").isEmpty();
        }

        first.close();
        second.start();
        assertThat(second.styxPort()).as("port of the second registry, started once the first is closed")
                .isEqualTo(port);
    }

    @Test
    void aSecondRegistryOnTheSameVertxAndPortFailsToStartRatherThanShareTheListener() {
        Vertx vertx = Vertx.vertx();
        closeLater(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        EmbeddedRegistry first = closeLater(EmbeddedRegistry.builder().vertx(vertx).build().start());
        int port = first.styxPort();
        EmbeddedRegistry second = closeLater(EmbeddedRegistry.builder().vertx(vertx).styx("tcp!127.0.0.1!" + port).build());

        // Vert.x shares a port among the servers of deployed verticles: two registries must never split clients
        assertThatThrownBy(second::start).as("start on a port in use by a registry on the same Vert.x")
                .isInstanceOf(RegistryServerException.class)
                .hasMessageContaining("9P2000 on tcp!127.0.0.1!" + port);
    }

    @Test
    void aSecondRegistryOnTakenBridgePortsFailsToStartNamingTheAddress() {
        EmbeddedRegistry first = closeLater(EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").build().start());
        int port = first.bridgeNewPort();
        EmbeddedRegistry second = closeLater(EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!" + port).build());

        // new, find and event are bound together: whichever fails first is named
        assertThatThrownBy(second::start).as("start with the bridge on ports in use")
                .isInstanceOf(RegistryServerException.class)
                .hasMessageMatching("(?s).*the line bridge on tcp!127\\.0\\.0\\.1!(" + port + "|" + (port + 1) + "|"
                        + (port + 2) + "):.*");
        assertThat(second.isRunning()).as("second registry running").isFalse();
        BridgeTestClient events = closeLater(BridgeTestClient.connect(first.bridgeEventPort()));
        assertThat(events.readLine()).as("the first registry's event port, still serving").isEqualTo("READY");
    }

    @Test
    void dropConnectionsUnregistersClientsServicesButKeepsServing() throws IOException {
        EmbeddedRegistry registry = registryWithStatics();
        StyxTestClient alice = closeLater(StyxSteps.attached(registry.styxPort(), "alice"));
        register(alice, 1, "dynamic proto tcp");
        register(alice, 2, "kept proto tcp persist 1");
        BridgeTestClient bridgeNew = closeLater(BridgeTestClient.connect(registry.bridgeNewPort()));
        bridgeNew.sendLine("bridged proto tcp");
        eventually().untilAsserted(() -> assertThat(registry.version()).as("version before the drop").isEqualTo(3));

        registry.dropConnections();

        assertThat(alice.isClosedByPeer()).as("9P client cut").isTrue();
        assertThat(bridgeNew.readToEnd()).as("bytes on the bridge connection, up to its end").isEmpty();
        eventually().untilAsserted(() -> assertThat(registry.services()).as("services after the drop")
                .containsExactly(BUILTIN, FROM_FILE, ServiceEntry.of("kept", "proto", "tcp", "persist", "1")));
        assertThat(registry.version()).as("version: one change per removal").isEqualTo(5);
        assertThat(registry.isRunning()).as("running after the drop").isTrue();
        try (StyxTestClient bob = StyxSteps.attached(registry.styxPort(), "bob")) {
            register(bob, 1, "after proto tcp");
            assertThat(registry.version()).as("version after a new registration").isEqualTo(6);
        }
    }

    @Test
    void theLauncherStartsARegistryFromItsCommandLine() throws IOException {
        Path db = attrDb("service=fromfile proto=tcp addr=tcp!h!1\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        EmbeddedRegistry registry = closeLater(RegistryLauncher.launch(new String[] {"--styx", "tcp!127.0.0.1!0",
            "--bridge", "off", "-f", db.toString(), "--user", "inferno"}, new PrintStream(out, true, StandardCharsets.UTF_8)));

        assertThat(registry.isRunning()).as("launched registry running").isTrue();
        assertThatThrownBy(registry::bridgeNewPort).as("bridge port with --bridge off")
                .isInstanceOf(IllegalStateException.class);
        try (StyxTestClient c = StyxSteps.attached(registry.styxPort(), "alice")) {
            assertThat(read(c, 1, "index")).as("index").isEqualTo("fromfile proto tcp addr tcp!h!1\n");
            assertThat(ownerOverStyx(c, 2, "fromfile")).as("owner of a static service with --user").isEqualTo("inferno");
        }
        assertThat(out.size()).as("bytes printed").isZero();
    }

    @Test
    void theLauncherSelectsAProfile() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        EmbeddedRegistry registry = closeLater(RegistryLauncher.launch(new String[] {"--styx", "tcp!127.0.0.1!0",
            "--bridge", "off", "--profile", "exported"}, out));

        assertThat(registry.profile()).as("profile with --profile exported").isEqualTo(RegistryProfile.EXPORTED);
        assertThatThrownBy(() -> RegistryLauncher.launch(new String[] {"--profile", "real"}, out))
                .as("an unknown profile").isInstanceOf(IllegalArgumentException.class)
                .hasMessage("profile 'real' is not one of default, exported, direct");
    }

    @Test
    void theLauncherSelectsTheSimulatedCostModel() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        EmbeddedRegistry registry = closeLater(RegistryLauncher.launch(new String[] {"--styx", "tcp!127.0.0.1!0",
            "--bridge", "off", "--cost-model", "inferno"}, out));

        assertThat(registry.costModel()).as("cost model with --cost-model inferno").isEqualTo(CostModel.INFERNO);
        assertThatThrownBy(() -> RegistryLauncher.launch(new String[] {"--cost-model", "slow"}, out))
                .as("an unknown cost model").isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cost model 'slow' is not one of off, inferno");
    }

    @Test
    void aMalformedAddressIsAUsageErrorNamingTheOption() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RegistryLauncher.launch(new String[] {"--styx", "tcp!127.0.0.1!99999"}, out))
                .as("a port above 65535").isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--styx: Invalid").hasMessageContaining("99999");
        assertThatThrownBy(() -> RegistryLauncher.launch(new String[] {"--bridge", "nowhere"}, out))
                .as("not a dial string").isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--bridge: Invalid address 'nowhere'");
    }

    @Test
    void theLauncherPrintsItsUsageForHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        EmbeddedRegistry registry = RegistryLauncher.launch(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(registry).as("registry launched for --help").isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).as("printed, no command named by the script")
                .isEqualTo(RegistryLauncher.usage(RegistryLauncher.DEFAULT_COMMAND) + System.lineSeparator())
                .startsWith("usage: java -jar regmgr-registry.jar [--styx ADDR]");
        assertThat(RegistryLauncher.usage("runtime/target/regmgr-registry")).as("usage started by the script")
                .startsWith("usage: runtime/target/regmgr-registry [--styx ADDR] [--bridge ADDR|off]")
                .contains("--profile NAME", "createsignerkey", "ADDR is an Inferno dial string");
    }

    @Test
    void theLauncherRefusesAnUnknownOptionOrAMissingValueNamingIt() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RegistryLauncher.launch(new String[] {"--styx", "tcp!127.0.0.1!0", "--bogus", "x"}, out))
                .as("an unknown option").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> RegistryLauncher.launch(new String[] {"--bridge", "off", "--styx"}, out))
                .as("an option without its value").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--styx");
    }
}
