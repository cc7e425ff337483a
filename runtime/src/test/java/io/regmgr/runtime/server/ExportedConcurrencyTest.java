package io.regmgr.runtime.server;

import static io.regmgr.runtime.protocol.StyxMessage.OREAD;
import static io.regmgr.runtime.protocol.StyxMessage.ORDWR;
import static io.regmgr.runtime.server.StyxSteps.ROOT;
import static io.regmgr.runtime.server.StyxSteps.expect;
import static io.regmgr.runtime.server.StyxSteps.open;
import static io.regmgr.runtime.server.StyxSteps.read;
import static io.regmgr.runtime.server.StyxSteps.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tremove;
import io.regmgr.runtime.protocol.StyxMessage.Tstat;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Requests that arrive together on one connection (a burst written in one write, so decoded from
 * one read of the socket), over real TCP on loopback, in every profile: EXPORTED answers them as
 * Inferno's export may (its workers serve them concurrently: emu/port/exportfs.c), DEFAULT and
 * DIRECT strictly in order. Each burst is also checked against what the requests get one at a
 * time. Replies are compared by tag (export's come in any order) and summarised as
 * {@link #summary}.
 */
class ExportedConcurrencyTest {
    private static final String NO_FID = "error: no such fid";
    private static final String MODE = "error: open/create -- unknown mode";

    private EmbeddedRegistry registry;
    private StyxTestClient client;

    private StyxTestClient start(RegistryProfile profile, CostModel cost) {
        registry = EmbeddedRegistry.builder().profile(profile).costModel(cost).build().start();
        client = StyxSteps.attached(registry.styxPort(), "alice");
        return client;
    }

    @AfterEach
    void closeEverything() {
        if (client != null) {
            client.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** Writes {@code requests} in one write and returns one summary per request, in request order. */
    private static List<String> burst(StyxTestClient c, StyxMessage... requests) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (StyxMessage m : requests) {
            bytes.writeBytes(StyxCodec.encode(m));
        }
        c.sendRaw(bytes.toByteArray());
        Map<Integer, String> byTag = new HashMap<>();
        for (int i = 0; i < requests.length; i++) {
            StyxMessage reply = c.receive();
            byTag.put(reply.tag(), summary(reply));
        }
        List<String> answers = new ArrayList<>();
        for (StyxMessage m : requests) {
            answers.add(byTag.get(m.tag()));
        }
        return answers;
    }

    /** @return {@code error: <ename>}, {@code read: <text>}, or the reply's type */
    private static String summary(StyxMessage reply) {
        if (reply instanceof Rerror e) {
            return "error: " + e.ename();
        }
        if (reply instanceof Rread r) {
            return "read: " + new String(r.data(), StandardCharsets.UTF_8);
        }
        return reply.getClass().getSimpleName();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T byProfile(RegistryProfile profile, T exported, T inOrder) {
        return profile == RegistryProfile.EXPORTED ? exported : inOrder;
    }

    /** A burst on the newfid of a walk of the same burst, ending with the clunk of that fid. */
    private static StyxMessage[] walkThenUse(StyxTestClient c, int fid) {
        return new StyxMessage[] {new Twalk(c.nextTag(), ROOT, fid, List.of("index")), new Topen(c.nextTag(), fid, OREAD),
            new Tread(c.nextTag(), fid, 0, 100), new Twrite(c.nextTag(), fid, 0, bytes("x")), new Tclunk(c.nextTag(), fid)};
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void theNewfidOfAWalkIsNotBoundForTheRestOfItsBurst(RegistryProfile profile) {
        StyxTestClient c = start(profile, CostModel.NONE);
        List<String> answers = burst(c, walkThenUse(c, 1));
        assertThat(answers).as("%s: walk, open, read, write, clunk of the new fid in one burst", profile).isEqualTo(byProfile(
                profile, List.of("Rwalk", NO_FID, NO_FID, NO_FID, NO_FID),
                List.of("Rwalk", "Ropen", "read: ", "error: read/write -- not open in suitable mode", "Rclunk")));
        String afterwards = summary(c.rpc(new Tstat(c.nextTag(), 1)));
        assertThat(afterwards).as("%s: the fid after the burst (bound once the walk returned; clunked in order)", profile)
                .isEqualTo(byProfile(profile, "Rstat", "error: bad fid"));
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void aStatOrRemoveOfTheNewfidInTheSameBurstDoesNotReachTheRegistryBehindExport(RegistryProfile profile) {
        StyxTestClient c = start(profile, CostModel.NONE);
        register(c, 5, "svc a b");
        List<String> answers = burst(c, new Twalk(c.nextTag(), ROOT, 2, List.of("svc")), new Tstat(c.nextTag(), 2),
                new Tremove(c.nextTag(), 2));
        assertThat(answers).as("%s: walk to svc, stat, remove in one burst", profile)
                .isEqualTo(byProfile(profile, List.of("Rwalk", NO_FID, NO_FID), List.of("Rwalk", "Rstat", "Rremove")));
        assertThat(read(c, 3, "index")).as("%s: the index afterwards", profile)
                .isEqualTo(byProfile(profile, "svc a b\n", ""));
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void aFidOpenedInABurstIsNotOpenForTheRestOfIt(RegistryProfile profile) {
        StyxTestClient c = start(profile, CostModel.NONE);
        expect(c.walk(ROOT, 1, "new"), Rwalk.class, "walk to new");
        List<String> answers = burst(c, new Topen(c.nextTag(), 1, ORDWR), new Twrite(c.nextTag(), 1, 0, bytes("svc a b")),
                new Tread(c.nextTag(), 1, 0, 100), new Topen(c.nextTag(), 1, ORDWR));
        assertThat(answers).as("%s: open, write, read, open again in one burst", profile).isEqualTo(byProfile(profile,
                List.of("Ropen", MODE, MODE, MODE),
                List.of("Ropen", "Rwrite", "read: svc a b\n", "error: fid already opened")));
        if (profile == RegistryProfile.EXPORTED) {
            assertThat(summary(c.rpc(new Twrite(c.nextTag(), 1, 0, bytes("svc a b")))))
                    .as("%s: the write sent again after the burst's answers", profile).isEqualTo("Rwrite");
        }
        assertThat(read(c, 3, "index")).as("%s: the index afterwards", profile).isEqualTo("svc a b\n");
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void aFindReadInTheBurstOfItsFilterWriteMayMissTheFilter(RegistryProfile profile) {
        StyxTestClient c = start(profile, CostModel.NONE);
        register(c, 5, "a proto tcp");
        register(c, 6, "b proto udp");
        open(c, 1, "find", ORDWR);
        List<String> answers = burst(c, new Twrite(c.nextTag(), 1, 0, bytes("proto udp")), new Tread(c.nextTag(), 1, 0, 1000));
        assertThat(answers.get(0)).as("%s: the filter write", profile).isEqualTo("Rwrite");
        assertThat(sortedLines(answers.get(1))).as("%s: the find read in the same burst", profile).isEqualTo(byProfile(profile,
                List.of("a proto tcp", "b proto udp"), List.of("b proto udp")));
        assertThat(summary(c.rpc(new Tread(c.nextTag(), 1, 0, 1000)))).as("%s: the find read after the burst", profile)
                .isEqualTo("read: b proto udp\n");
    }

    private static List<String> sortedLines(String readSummary) {
        assertThat(readSummary).as("a read's answer").startsWith("read: ");
        String[] lines = readSummary.substring("read: ".length()).split("\n");
        Arrays.sort(lines);
        return List.of(lines);
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void requestsOnIndependentFidsAreUnaffected(RegistryProfile profile) {
        StyxTestClient c = start(profile, CostModel.NONE);
        register(c, 5, "svc a b");
        open(c, 3, "index", OREAD);
        List<String> answers = burst(c, new Twalk(c.nextTag(), ROOT, 1, List.of("find")), new Tread(c.nextTag(), 3, 0, 1000),
                new Tstat(c.nextTag(), ROOT), new Twrite(c.nextTag(), 5, 0, bytes("port 1")), new Twalk(c.nextTag(), ROOT, 2, List.of()),
                new Tstat(c.nextTag(), 5));
        assertThat(answers).as("%s: requests on fids bound and open before the burst", profile)
                .isEqualTo(List.of("Rwalk", "read: svc a b\n", "Rstat", "Rwrite", "Rwalk", "Rstat"));
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void requestsSentEachAfterThePreviousAnswerAreServedAsBefore(RegistryProfile profile) {
        StyxTestClient c = start(profile, CostModel.NONE);
        register(c, 5, "a proto tcp");
        List<StyxMessage> requests = List.of(new Twalk(c.nextTag(), ROOT, 1, List.of("new")), new Topen(c.nextTag(), 1, ORDWR),
                new Twrite(c.nextTag(), 1, 0, bytes("b proto udp")), new Tread(c.nextTag(), 1, 0, 100), new Tstat(c.nextTag(), 1),
                new Twalk(c.nextTag(), ROOT, 2, List.of("find")), new Topen(c.nextTag(), 2, ORDWR),
                new Twrite(c.nextTag(), 2, 0, bytes("proto udp")), new Tread(c.nextTag(), 2, 0, 1000), new Tclunk(c.nextTag(), 2),
                new Twalk(c.nextTag(), ROOT, 3, List.of("b")), new Tremove(c.nextTag(), 3), new Tclunk(c.nextTag(), 1));
        Function<StyxMessage, String> oneAtATime = m -> summary(c.rpc(m));
        assertThat(requests.stream().map(oneAtATime).toList()).as("%s: each request after the previous answer", profile)
                .isEqualTo(List.of("Rwalk", "Ropen", "Rwrite", "read: b proto udp\n", "Rstat", "Rwalk", "Ropen", "Rwrite",
                        "read: b proto udp\n", "Rclunk", "Rwalk", "Rremove", "Rclunk"));
    }

    @ParameterizedTest
    @EnumSource(RegistryProfile.class)
    void underACostModelExportsOwnRefusalsCostTheRegistryNothing(RegistryProfile profile) {
        StyxTestClient c = start(profile, CostModel.INFERNO);
        long before = registry.counters().simulatedRequests();
        long servedBefore = registry.counters().totalRequests();
        long refusedBefore = registry.counters().exportRefusals();
        List<String> answers = burst(c, walkThenUse(c, 1));
        assertThat(answers).as("%s: the burst under the cost model", profile).isEqualTo(byProfile(profile,
                List.of("Rwalk", NO_FID, NO_FID, NO_FID, NO_FID),
                List.of("Rwalk", "Ropen", "read: ", "error: read/write -- not open in suitable mode", "Rclunk")));
        assertThat(registry.counters().simulatedRequests() - before).as("%s: registry requests charged for the burst", profile)
                .isEqualTo(byProfile(profile, 1L, 5L));
        assertThat(registry.counters().totalRequests() - servedBefore).as("%s: requests counted as the registry's", profile)
                .isEqualTo(byProfile(profile, 1L, 5L));
        assertThat(registry.counters().exportRefusals() - refusedBefore).as("%s: requests export answered itself", profile)
                .isEqualTo(byProfile(profile, 4L, 0L));
    }
}
