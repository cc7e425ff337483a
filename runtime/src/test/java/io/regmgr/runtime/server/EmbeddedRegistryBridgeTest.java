package io.regmgr.runtime.server;

import static io.regmgr.runtime.server.Eventually.eventually;
import static io.regmgr.runtime.server.StyxSteps.ROOT;
import static io.regmgr.runtime.server.StyxSteps.expect;
import static io.regmgr.runtime.server.StyxSteps.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.StyxMessage.Rstat;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The line bridge (spec section 2) over real TCP on loopback: the {@code new}, {@code find} and
 * {@code event} ports, their faithful quirks, and connections the server must cut.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RegistryProfile.class)
class EmbeddedRegistryBridgeTest {
    @Parameter
    RegistryProfile profile;
    private static final Pattern VERSION_LINE = Pattern.compile("[0-9]{8}");
    private static final ServiceEntry HELD = ServiceEntry.of("held", "proto", "tcp");

    private EmbeddedRegistry registry;
    private final List<BridgeTestClient> clients = new ArrayList<>();

    @BeforeEach
    void startRegistry() {
        registry = EmbeddedRegistry.builder().profile(profile).bridge("tcp!127.0.0.1!0").build().start();
    }

    @AfterEach
    void closeEverything() {
        clients.forEach(BridgeTestClient::close);
        registry.close();
    }

    private BridgeTestClient connect(int port) {
        BridgeTestClient c = BridgeTestClient.connect(port);
        clients.add(c);
        return c;
    }

    /** A {@code new} connection that has registered {@code line} (and stays open). */
    private BridgeTestClient registered(String line, ServiceEntry expected) {
        BridgeTestClient c = connect(registry.bridgeNewPort());
        c.sendLine(line);
        eventually().untilAsserted(() -> assertThat(registry.services()).as("services after '%s'", line)
                .contains(expected));
        return c;
    }

    private void awaitServices(String when, ServiceEntry... expected) {
        eventually().untilAsserted(() -> assertThat(registry.services()).as("services %s", when)
                .containsExactly(expected));
    }

    @Test
    void aLineRegistersFurtherLinesUpdateAndClosingUnregisters() {
        BridgeTestClient c = registered("svc proto tcp", ServiceEntry.of("svc", "proto", "tcp"));
        assertThat(registry.indexText()).as("index").isEqualTo("svc proto tcp\n");
        assertThat(ownerOverStyx("svc")).as("owner of a bridge registration: the registry's user").isEqualTo("registry");

        c.sendLine("port 6701");
        awaitServices("after an update line", ServiceEntry.of("svc", "proto", "tcp", "port", "6701"));
        c.sendLine("port 6702 addr 'tcp!h!6702'");
        awaitServices("after a second update line",
                ServiceEntry.of("svc", "proto", "tcp", "port", "6702", "addr", "tcp!h!6702"));
        assertThat(registry.version()).as("version: one naming, two updates").isEqualTo(3);

        c.close();
        awaitServices("after the connection closed");
        assertThat(registry.version()).as("version: and the removal").isEqualTo(4);
    }

    private String ownerOverStyx(String service) {
        try (StyxTestClient c = StyxSteps.attached(registry.styxPort(), "alice")) {
            expect(c.walk(ROOT, 1, service), Rwalk.class, "walk to " + service);
            return expect(c.rpc(new Tstat(c.nextTag(), 1)), Rstat.class, "Tstat of " + service).stat().uid();
        }
    }

    @Test
    void aPersistentRegistrationSurvivesItsConnection() {
        ServiceEntry keep = ServiceEntry.of("keep", "proto", "tcp", "persist", "1");
        registered("keep proto tcp persist 1", keep).close();

        eventually().untilAsserted(() -> assertThat(registry.counters().openConnections())
                .as("open connections once the bridge connection is gone").isZero());
        assertThat(registry.services()).as("services after the connection closed").containsExactly(keep);
    }

    @Test
    void aLastUpdateWithoutItsNewlineIsAppliedWhenTheClientCloses() {
        BridgeTestClient c = registered("keep proto tcp persist 1", ServiceEntry.of("keep", "proto", "tcp", "persist", "1"));
        c.send("state draining");
        c.close();

        ServiceEntry updated = ServiceEntry.of("keep", "proto", "tcp", "persist", "1", "state", "draining");
        eventually().untilAsserted(() -> assertThat(registry.services()).as("services after the client closed")
                .containsExactly(updated));
    }

    static Stream<Arguments> refusedInput() {
        return Stream.of(
                Arguments.of("duplicate service name", "held port 1\n"),
                Arguments.of("bad service name", "new proto tcp\n"),
                Arguments.of("bad character in service name", "a/b proto tcp\n"),
                Arguments.of("bad syntax (an empty first line)", "\n"),
                Arguments.of("odd attribute/value pairs on the first line", "svc proto\n"),
                Arguments.of("odd attribute/value pairs on an update", "svc proto tcp\nport\n"),
                Arguments.of("bad syntax (an empty update line)", "svc proto tcp\n\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedInput")
    void aRegistryErrorClosesTheConnectionWithoutAWord(String error, String input) {
        BridgeTestClient holder = registered("held proto tcp", HELD);
        BridgeTestClient culprit = connect(registry.bridgeNewPort());

        culprit.send(input);

        assertThat(culprit.readToEnd()).as("bytes written before the close, on %s", error).isEmpty();
        awaitServices("after the refused connection closed: only the holder's", HELD);
        holder.sendLine("port 1");
        awaitServices("after the holder's update", ServiceEntry.of("held", "proto", "tcp", "port", "1"));
    }

    @Test
    void aLineAtTheMaximumLengthIsTakenAndOneByteMoreClosesThatConnectionOnly() {
        BridgeTestClient holder = registered("held proto tcp", HELD);
        String longest = "long blob " + "x".repeat(8190 - "long blob ".length());
        assertThat(longest.length() + 1).as("bytes of the longest line, newline included").isEqualTo(8191);
        registered(longest, ServiceEntry.of("long", "blob", "x".repeat(8180)));

        BridgeTestClient culprit = connect(registry.bridgeNewPort());
        culprit.trySend(("huge blob " + "x".repeat(20_000) + "\n").getBytes(StandardCharsets.UTF_8));

        assertThat(culprit.readToEnd()).as("bytes written before closing on a 20 KB line").isEmpty();
        eventually().untilAsserted(() -> assertThat(registry.counters().openConnections())
                .as("open connections: the holder and the longest line's").isEqualTo(2));
        assertThat(registry.services()).as("services").extracting(ServiceEntry::name).containsExactly("held", "long");
        holder.sendLine("port 1");
        awaitServices("after the holder's update", ServiceEntry.of("held", "proto", "tcp", "port", "1"),
                ServiceEntry.of("long", "blob", "x".repeat(8180)));
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("one pair", "proto tcp\n", "a proto tcp port 1\n"),
                Arguments.of("two pairs", "proto udp port 2\n", "b proto udp port 2\n"),
                Arguments.of("a wildcard", "port *\n", "a proto tcp port 1\nb proto udp port 2\n"),
                Arguments.of("no match", "proto sctp\n", ""),
                Arguments.of("a blank line: everything", "\n", "a proto tcp port 1\nb proto udp port 2\nc proto 'tcp\r'\n"),
                Arguments.of("an odd filter: everything (faithful quirk)", "proto\n",
                        "a proto tcp port 1\nb proto udp port 2\nc proto 'tcp\r'\n"),
                Arguments.of("CRLF: the value ends in \\r (faithful quirk)", "proto tcp\r\n", "c proto 'tcp\r'\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void findAnswersTheMatchingLinesAndCloses(String what, String filter, String answer) {
        registered("a proto tcp port 1", ServiceEntry.of("a", "proto", "tcp", "port", "1"));
        registered("b proto udp port 2", ServiceEntry.of("b", "proto", "udp", "port", "2"));
        // a CRLF line on the new port registers a value ending in \r, as on the real bridge
        registered("c proto tcp\r", ServiceEntry.of("c", "proto", "tcp\r"));
        BridgeTestClient find = connect(registry.bridgeFindPort());

        find.send(filter);

        assertThat(find.readToEnd()).as("answer to a filter with %s, up to the server's close", what).isEqualTo(answer);
        assertThat(registry.counters().findReads()).as("findReads").isEqualTo(1);
    }

    @Test
    void theFindFilterIsTheFirstLineOrBehindExportTheFirstReadChunk() {
        registered("a proto tcp port 1", ServiceEntry.of("a", "proto", "tcp", "port", "1"));
        registered("b proto udp port 2", ServiceEntry.of("b", "proto", "udp", "port", "2"));
        BridgeTestClient find = connect(registry.bridgeFindPort());

        // one small write on loopback: one read chunk for the server
        find.send("proto tcp\nport 2\n");

        assertThat(find.readToEnd()).as("%s: answer to two filter lines sent at once", profile)
                .isEqualTo(profile == RegistryProfile.EXPORTED ? "" : "a proto tcp port 1\n");
    }

    @Test
    void eventSaysReadyThenOneVersionLinePerChange() {
        BridgeTestClient events = connect(registry.bridgeEventPort());
        assertThat(events.readLine()).as("first line").isEqualTo("READY");

        BridgeTestClient c = registered("svc proto tcp", ServiceEntry.of("svc", "proto", "tcp"));
        assertThat(events.readLine()).as("after the registration").isEqualTo("00000001");
        c.sendLine("port 1");
        assertThat(events.readLine()).as("after the update").isEqualTo("00000002");
        c.close();
        assertThat(events.readLine()).as("after the connection closed").isEqualTo("00000003");
    }

    @Test
    void whatTheEventClientSendsIsDiscarded() {
        BridgeTestClient events = connect(registry.bridgeEventPort());
        assertThat(events.readLine()).as("first line").isEqualTo("READY");

        events.send("svc proto tcp\nnew a b\n\n" + "x".repeat(20_000) + "\n");
        try (StyxTestClient alice = StyxSteps.attached(registry.styxPort(), "alice")) {
            register(alice, 1, "real proto tcp");
            assertThat(events.readLine()).as("the next line: the registration over 9P").isEqualTo("00000001");
        }
        assertThat(events.readLine()).as("then its removal").isEqualTo("00000002");
        assertThat(registry.services()).as("services: nothing came of the event client's lines").isEmpty();
    }

    @Test
    void aReaderThatFallsBehindGetsIncreasingVersionsEndingWithTheLatest() {
        BridgeTestClient events = connect(registry.bridgeEventPort());
        assertThat(events.readLine()).as("first line").isEqualTo("READY");
        int changes = 50;

        writeChanges(changes);

        assertVersionsIncreaseTo(events, changes);
    }

    @Test
    void aReaderThatDoesNotReadIsSentOnlyTheLatestVersionOnceItsBuffersAreFull() {
        // 5.4 MB of version lines: more than the kernel's buffers hold for a reader that does not
        // read (Linux's default tcp_wmem maximum is 4 MB; the reader's SO_RCVBUF is fixed small so
        // that receive autotuning cannot add to it), so the server must coalesce the rest.
        BridgeTestClient events = BridgeTestClient.connect(registry.bridgeEventPort(), 16 * 1024);
        clients.add(events);
        assertThat(events.readLine()).as("first line").isEqualTo("READY");
        int changes = 600_000;

        writeChanges(changes);

        int lines = assertVersionsIncreaseTo(events, changes);
        assertThat(lines).as("version lines received for %d changes: coalesced", changes).isLessThan(changes);
    }

    /** Registers a service over the bridge and updates it until the version is {@code changes}. */
    private void writeChanges(int changes) {
        StringBuilder text = new StringBuilder("svc n 1\n");
        for (int i = 2; i <= changes; i++) {
            text.append("n ").append(i).append('\n');
        }
        connect(registry.bridgeNewPort()).send(text.toString());
        // 600,000 lines: a condition, not a timing; on two loaded cores they took over 10 s once
        eventually().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(registry.version())
                .as("version after the changes").isEqualTo(changes));
    }

    /**
     * Reads version lines up to {@code last}, checking that each is 8 digits and later than the one
     * before (hundreds of thousands of lines: checked in one pass, asserted once).
     *
     * @return the number of version lines read
     */
    private static int assertVersionsIncreaseTo(BridgeTestClient events, int last) {
        String lastLine = String.format("%08d", last);
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = events.readLine();
            if (line == null) {
                fail("the event connection ended after %d version lines, before %s", lines.size(), lastLine);
            }
            lines.add(line);
        } while (!line.equals(lastLine));
        int previous = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int version = VERSION_LINE.matcher(l).matches() ? Integer.parseInt(l) : -1;
            if (version <= previous) {
                assertThat(l).as("version line %d of %d, after %08d", i + 1, lines.size(), previous).matches(VERSION_LINE);
                assertThat(version).as("version line %d of %d, after %08d", i + 1, lines.size(), previous)
                        .isGreaterThan(previous);
            }
            previous = version;
        }
        return lines.size();
    }
}
