package io.regmgr.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regmgr.ProtocolViolationException;
import io.regmgr.runtime.protocol.Qid;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Rwrite;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The client's parts without a network: tag table, fid pool, event records, reply checks. */
class StyxClientPartsTest {
    private static final String ADDRESS = "tcp!127.0.0.1!6675";

    private static Pending pending(String what) {
        return new Pending(tag -> new StyxMessage.Tclunk(tag, 1), what, null, false, Pending.Settle.NONE);
    }

    @Test
    void tagsComeLowestFirstAreReusedAfterReleaseAndNeverExceedThePool() {
        RequestTable table = new RequestTable(3, 2);

        int a = table.assign(pending("a"));
        int b = table.assign(pending("b"));
        int c = table.assign(pending("c"));

        assertThat(List.of(a, b, c)).as("tags").containsExactly(0, 1, 2);
        assertThat(table.hasFreeTag()).as("free tag when all are used").isFalse();
        table.release(b);
        assertThat(table.get(b)).as("released tag").isNull();
        assertThat(table.assign(pending("d"))).as("reused tag").isEqualTo(1);
        assertThat(table.inFlight()).as("in flight").isEqualTo(3);
        assertThat(table.get(StyxMessage.NOTAG)).as("NOTAG").isNull();
    }

    @Test
    void theWaitQueueIsABoundedFifoThatUrgentRequestsJump() {
        RequestTable table = new RequestTable(1, 2);
        Pending first = pending("first");
        Pending second = pending("second");
        Pending urgent = pending("urgent");

        assertThat(table.offer(first)).as("first").isTrue();
        assertThat(table.offer(second)).as("second").isTrue();
        assertThat(table.offer(pending("third"))).as("third, beyond the bound").isFalse();
        table.offerFirst(urgent);

        assertThat(table.waiting()).as("waiting").isEqualTo(3);
        assertThat(table.withdraw(second)).as("withdraw").isTrue();
        assertThat(table.poll()).as("next").isSameAs(urgent);
        assertThat(table.poll()).as("then").isSameAs(first);
        assertThat(table.poll()).as("empty").isNull();
    }

    @Test
    void clearHandsBackEverythingInFlightAndWaiting() {
        RequestTable table = new RequestTable(1, 2);
        Pending inFlight = pending("in flight");
        Pending waiting = pending("waiting");
        table.assign(inFlight);
        table.offer(waiting);

        assertThat(table.clear()).as("cleared").containsExactly(inFlight, waiting);
        assertThat(table.inFlight()).as("in flight").isZero();
        assertThat(table.waiting()).as("waiting").isZero();
        assertThat(table.hasFreeTag()).as("free tag").isTrue();
    }

    @Test
    void fidsComeLowestFirstAndAreReleasedOnce() {
        FidPool fids = new FidPool();

        assertThat(List.of(fids.allocate(), fids.allocate(), fids.allocate())).as("fids").containsExactly(0, 1, 2);
        fids.release(1);
        fids.release(1);
        fids.release(7);

        assertThat(fids.allocated()).as("allocated").isEqualTo(2);
        assertThat(fids.allocate()).as("reused").isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"00000000, 0", "00000042, 42", "99999999, 99999999", "100000000, 100000000",
        "4294967295, 4294967295"})
    void versionLinesParse(String digits, long version) {
        byte[] line = (digits + "\n").getBytes(StandardCharsets.US_ASCII);

        assertThat(EventRecords.parseVersion(line, ADDRESS)).as(digits).isEqualTo(version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "0000042\n", "00000042", "00000042\n\n", "0000004a\n", " 0000042\n",
        "-0000042\n", "00000000000\n", "4294967296\n"})
    void anythingElseIsAProtocolViolation(String record) {
        byte[] bytes = record.getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> EventRecords.parseVersion(bytes, ADDRESS)).as("'" + record + "'")
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining(ADDRESS)
                .hasMessageContaining("not a version line");
    }

    @Test
    void repliesMustAnswerTheirRequestInTypeAndSize() {
        Tread read = new Tread(1, 5, 0, 4);
        Twalk walk = new Twalk(2, 0, 6, List.of("new"));
        Twrite write = new Twrite(3, 6, 0, new byte[3]);

        ReplyChecks.checkAnswers(read, new Rread(1, new byte[4]), ADDRESS);
        ReplyChecks.checkAnswers(read, new StyxMessage.Rerror(1, "no"), ADDRESS);
        assertThatThrownBy(() -> ReplyChecks.checkAnswers(read, new Rread(1, new byte[5]), ADDRESS))
                .as("Rread beyond count").isInstanceOf(ProtocolViolationException.class).hasMessageContaining("5 bytes");
        assertThatThrownBy(() -> ReplyChecks.checkAnswers(read, new Rwrite(1, 4), ADDRESS))
                .as("Rwrite for Tread").hasMessageContaining("answers Tread");
        assertThatThrownBy(() -> ReplyChecks.checkAnswers(walk, new Rwalk(2, List.of()), ADDRESS))
                .as("empty Rwalk").hasMessageContaining("0 qids");
        Qid q = new Qid(0, 0, 1);
        assertThatThrownBy(() -> ReplyChecks.checkAnswers(walk, new Rwalk(2, List.of(q, q)), ADDRESS))
                .as("Rwalk of 2 for 1 name").hasMessageContaining("2 qids");
        assertThatThrownBy(() -> ReplyChecks.checkAnswers(write, new Rwrite(3, 4), ADDRESS))
                .as("Rwrite counting more than written").hasMessageContaining("counts 4 bytes");
        // a short count is a write applied partially: the caller's failure (StyxFiles.write), not the connection's
        ReplyChecks.checkAnswers(write, new Rwrite(3, 2), ADDRESS);
        assertThatThrownBy(() -> ReplyChecks.checkIsReply(read, ADDRESS)).as("T-message")
                .hasMessageContaining("T-message");
    }
}
