package io.regmgr.runtime.server;

import static io.regmgr.runtime.protocol.StyxMessage.NOTAG;
import static io.regmgr.runtime.protocol.StyxMessage.OREAD;
import static io.regmgr.runtime.server.Eventually.eventually;
import static io.regmgr.runtime.server.StyxSteps.ROOT;
import static io.regmgr.runtime.server.StyxSteps.expect;
import static io.regmgr.runtime.server.StyxSteps.open;
import static io.regmgr.runtime.server.StyxSteps.read;
import static io.regmgr.runtime.server.StyxSteps.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rclunk;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that break 9P2000 over a real connection: each bad input closes that connection only (or
 * is answered with an error), while a well-behaved client connected beside it keeps working and new
 * connections are served.
 */
class EmbeddedRegistryMisbehavingClientTest {
    private static final ServiceEntry STEADY = ServiceEntry.of("steady", "proto", "tcp");

    private EmbeddedRegistry registry;
    private StyxTestClient bystander;
    private StyxTestClient culprit;
    private int bystanderFid = 10;
    private long protocolErrorsBefore;

    @BeforeEach
    void startRegistryWithAWellBehavedClient() {
        registry = EmbeddedRegistry.builder().build().start();
        bystander = StyxSteps.attached(registry.styxPort(), "alice");
        register(bystander, 1, "steady proto tcp");
        protocolErrorsBefore = registry.counters().protocolErrors();
    }

    @AfterEach
    void closeEverything() {
        if (culprit != null) {
            culprit.close();
        }
        bystander.close();
        registry.close();
    }

    /** A client that attached as mallory and registered a service, before it misbehaves. */
    private StyxTestClient registeredCulprit() {
        culprit = StyxSteps.attached(registry.styxPort(), "mallory");
        register(culprit, 1, "shady proto tcp");
        assertThat(registry.services()).as("services before the bad input").hasSize(2);
        return culprit;
    }

    /** A connection that has sent nothing yet, not even Tversion. */
    private StyxTestClient rawCulprit() {
        culprit = StyxTestClient.connect(registry.styxPort());
        eventually().untilAsserted(() -> assertThat(registry.counters().openConnections())
                .as("open connections once the culprit is accepted").isEqualTo(2));
        return culprit;
    }

    /**
     * The culprit's connection is gone and its services with it, counted as {@code protocolErrors}
     * new protocol errors; the bystander and new connections are served as before.
     */
    private void assertOnlyTheCulpritWasCut(int protocolErrors) {
        eventually().untilAsserted(() -> assertThat(registry.counters().openConnections())
                .as("open connections: the bystander only").isEqualTo(1));
        assertThat(registry.counters().protocolErrors() - protocolErrorsBefore).as("new protocol errors")
                .isEqualTo(protocolErrors);
        assertThat(registry.services()).as("services: the culprit's are gone, the bystander's stay")
                .containsExactly(STEADY);
        assertThat(read(bystander, bystanderFid++, "index")).as("index read by the bystander afterwards")
                .isEqualTo("steady proto tcp\n");
        try (StyxTestClient fresh = StyxSteps.attached(registry.styxPort(), "bob")) {
            register(fresh, 1, "fresh proto tcp");
            assertThat(read(fresh, 2, "index")).as("index read by a new connection")
                    .isEqualTo("steady proto tcp\nfresh proto tcp\n");
        }
    }

    private void assertCulpritCut(String why) {
        assertThat(culprit.isClosedByPeer()).as("culprit's connection closed by the server after %s", why).isTrue();
    }

    /** size[4] type[1] tag[2] body, little-endian, with any type and any body. */
    private static byte[] frame(int type, int tag, byte[] body) {
        return ByteBuffer.allocate(7 + body.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(7 + body.length).put((byte) type).putShort((short) tag).put(body).array();
    }

    /** Only size[4] type[1] tag[2]: the start of a frame whose body never comes. */
    private static byte[] header(int size, int type, int tag) {
        return ByteBuffer.allocate(7).order(ByteOrder.LITTLE_ENDIAN).putInt(size).put((byte) type).putShort((short) tag)
                .array();
    }

    // size[4] Twalk tag[2] fid[4] newfid[4] nwname[2] nwname*(wname[s])
    private static byte[] twalk(int tag, int fid, int newfid, List<String> names) {
        ByteBuffer body = ByteBuffer.allocate(10 + names.stream().mapToInt(n -> 2 + n.length()).sum())
                .order(ByteOrder.LITTLE_ENDIAN).putInt(fid).putInt(newfid).putShort((short) names.size());
        names.forEach(n -> body.putShort((short) n.length()).put(n.getBytes(StandardCharsets.US_ASCII)));
        return frame(StyxMessage.TWALK, tag, body.array());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 42, 2024})
    void randomBytesCloseThatConnectionOnly(long seed) {
        registeredCulprit();
        byte[] garbage = new byte[1024];
        new Random(seed).nextBytes(garbage);

        culprit.sendRaw(garbage);

        assertCulpritCut("1 KiB of random bytes");
        assertOnlyTheCulpritWasCut(1);
    }

    @Test
    void aFrameLargerThanTheNegotiatedMsizeIsRefusedBeforeItsBodyIsSent() {
        registeredCulprit();
        assertThat(culprit.msize()).as("negotiated msize").isEqualTo(8216);

        culprit.sendRaw(header(8217, StyxMessage.TWRITE, 1));

        assertCulpritCut("size[4] = 8217, above the negotiated msize, with no body");
        assertOnlyTheCulpritWasCut(1);
    }

    @Test
    void aFrameLargerThanTheServersMaximumIsRefusedWithoutTversion() {
        rawCulprit();

        culprit.sendRaw(header(65561, StyxMessage.TWRITE, 1));

        assertCulpritCut("size[4] = 65561, above the server's 65560");
        assertOnlyTheCulpritWasCut(1);
    }

    @Test
    void aTruncatedFrameFollowedByCloseIsDroppedAndNotApplied() {
        registeredCulprit();
        byte[] update = StyxCodec.encode(new Twrite(culprit.nextTag(), 1, 0, "port 9".getBytes(StandardCharsets.UTF_8)));

        culprit.sendRaw(Arrays.copyOf(update, update.length - 3));
        culprit.close();

        eventually().untilAsserted(() -> assertThat(registry.services())
                .as("services once the culprit hung up").containsExactly(STEADY));
        assertThat(registry.version()).as("version: two namings and one removal, no update").isEqualTo(3);
        // The client hung up: the server closed nothing, so this is not counted as a protocol error.
        assertOnlyTheCulpritWasCut(0);
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {0, 99, 106, 128, 255})
    void aFrameWithABadTypeClosesThatConnectionOnly(int type) {
        registeredCulprit();

        culprit.sendRaw(frame(type, 1, new byte[0]));

        assertCulpritCut("a frame of type " + type);
        assertOnlyTheCulpritWasCut(1);
    }

    static Stream<Arguments> rMessages() {
        return Stream.of(
                Arguments.of(new Rversion(NOTAG, 8216, "9P2000")),
                Arguments.of(new Rclunk(5)),
                Arguments.of(new Rerror(5, "not a server")),
                Arguments.of(new Rread(5, "00000001\n".getBytes(StandardCharsets.US_ASCII))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rMessages")
    void anRMessageFromTheClientClosesThatConnectionOnly(StyxMessage reply) {
        registeredCulprit();

        culprit.send(reply);

        assertCulpritCut("an " + reply.getClass().getSimpleName() + " from the client");
        assertOnlyTheCulpritWasCut(1);
    }

    @Test
    void clunkingAnUnknownFidIsAnErrorAndTheConnectionStaysUsable() {
        registeredCulprit();

        StyxMessage reply = culprit.rpc(new Tclunk(culprit.nextTag(), 999));

        assertThat(reply).as("reply to Tclunk of fid 999").isInstanceOfSatisfying(Rerror.class,
                e -> assertThat(e.ename()).as("error").isEqualTo(StyxSession.E_BAD_FID));
        assertThat(read(culprit, 2, "index")).as("index read on the same connection afterwards")
                .isEqualTo("steady proto tcp\nshady proto tcp\n");
        assertThat(registry.counters().protocolErrors()).as("protocol errors").isEqualTo(protocolErrorsBefore);
        assertThat(registry.counters().openConnections()).as("open connections").isEqualTo(2);
    }

    @Test
    void aWalkOfSeventeenNamesClosesThatConnectionOnly() {
        registeredCulprit();
        culprit.sendRaw(twalk(culprit.nextTag(), ROOT, 2, Collections.nCopies(16, "..")));
        assertThat(culprit.receive()).as("reply to a walk of 16 names, the most allowed")
                .isInstanceOfSatisfying(Rwalk.class, w -> assertThat(w.qids()).as("qids").hasSize(16));

        culprit.sendRaw(twalk(culprit.nextTag(), ROOT, 3, Collections.nCopies(17, "..")));

        assertCulpritCut("a walk of 17 names");
        assertOnlyTheCulpritWasCut(1);
    }

    @Test
    void aClientThatClosesAtOnceCostsNothing() {
        rawCulprit().close();

        assertOnlyTheCulpritWasCut(0);
    }

    @Test
    void aClientThatDoesNotReadItsRepliesIsPausedWithoutLosingAnyAndOthersAreServed() {
        culprit = StyxTestClient.connect(registry.styxPort());
        culprit.version(65560);
        culprit.attach(ROOT, "mallory");
        String bulk = "bulk blob " + "x".repeat(60_000);
        register(culprit, 1, bulk);
        open(culprit, 2, "index", OREAD);
        int sent = 1500;
        ByteBuffer requests = ByteBuffer.allocate(sent * 23);
        List<Integer> tags = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            Tread read = new Tread(culprit.nextTag(), 2, 0, culprit.msize() - StyxCodec.IOHDRSZ);
            tags.add(read.tag());
            requests.put(StyxCodec.encode(read));
        }
        long treadsBefore = registry.counters().requests(StyxMessage.TREAD);

        culprit.sendRaw(requests.array());

        assertThat(read(bystander, bystanderFid++, "index")).as("index read by the bystander meanwhile")
                .isEqualTo("steady proto tcp\n" + bulk + "\n");
        // ~90 MB of replies: the kernel's buffers hold a few MB of them; the server must stop taking
        // requests rather than pile up the rest in memory.
        eventually().during(Duration.ofMillis(300)).untilAsserted(() -> assertThat(
                registry.counters().requests(StyxMessage.TREAD) - treadsBefore)
                .as("Treads taken while the culprit does not read (of %d sent)", sent).isLessThan(sent / 3));

        List<Integer> answered = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            StyxMessage reply = culprit.receive();
            assertThat(reply).as("reply %d once the culprit reads", i).isInstanceOf(Rread.class);
            answered.add(reply.tag());
        }
        assertThat(answered).as("tags of the replies, once the culprit reads").isEqualTo(tags);
        culprit.close();
        assertOnlyTheCulpritWasCut(0);
    }

    @Test
    void aClientSendingHalfAFrameAndStallingDoesNotStallOthers() {
        registeredCulprit();
        byte[] walk = StyxCodec.encode(new Twalk(culprit.nextTag(), ROOT, 2, List.of("index")));

        culprit.sendRaw(Arrays.copyOf(walk, 9));

        assertThat(read(bystander, bystanderFid++, "index")).as("index read by the bystander meanwhile")
                .isEqualTo("steady proto tcp\nshady proto tcp\n");
        culprit.sendRaw(Arrays.copyOfRange(walk, 9, walk.length));
        expect(culprit.receive(), Rwalk.class, "the walk, completed late");
        culprit.close();
        assertOnlyTheCulpritWasCut(0);
    }
}
