package io.regmgr.runtime.core;

import io.regmgr.Attributes;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.core.RegistrationAttempt.Merged;
import io.regmgr.runtime.core.RepairStep.Action;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule of a registration's repair, decided from one read with no registry involved. */
class RepairStepTest {
    private static final String NAME = "orders";
    private static final long CONFIRMED_READ = 10;
    private final InstanceToken token = InstanceToken.create("regmgr-instance");
    private final ServiceEntry ours = token.stamp(ServiceEntry.of(NAME, "port", "8080"));

    private RegistrationAttempt live() {
        RegistrationAttempt a = new RegistrationAttempt(null, null, (attempt, cause) -> { });
        a.confirmed = new Merged(ours, 1);
        a.confirmedRead = CONFIRMED_READ;
        return a;
    }

    private static Holdings read(long number, boolean everyName, ServiceEntry... held) {
        return Holdings.of(number, List.of(held), everyName);
    }

    private Action decide(RegistrationAttempt a, boolean registering, boolean inConflict, Holdings held) {
        return RepairStep.decide(a, registering, inConflict, held, NAME, token).action();
    }

    @Test
    void withNoLiveRegistrationOnlyAFreedNameCallsForAnything() {
        ServiceEntry theirs = ServiceEntry.of(NAME, "port", "9090");
        assertThat(decide(null, false, true, read(11, true))).as("in conflict, name free").isEqualTo(Action.REGISTER);
        assertThat(decide(null, false, true, read(11, true, theirs))).as("in conflict, name held").isEqualTo(Action.NONE);
        assertThat(decide(null, false, false, read(11, true))).as("retrying").isEqualTo(Action.NONE);
    }

    @Test
    void aWriteUnderWayDefersTheComparison() {
        RegistrationAttempt updating = live();
        updating.updating = true;
        assertThat(decide(updating, false, false, read(11, true))).as("update under way").isEqualTo(Action.RECHECK);
        assertThat(decide(live(), true, false, read(11, true))).as("registration under way").isEqualTo(Action.RECHECK);
    }

    @Test
    void aReadSentBeforeOurLatestWriteIsNeitherIgnoredNorActedOn() {
        assertThat(decide(live(), false, false, read(CONFIRMED_READ, false))).as("differs: read again")
                .isEqualTo(Action.READ_AGAIN);
        assertThat(decide(live(), false, false, read(CONFIRMED_READ, false, ours))).as("in line")
                .isEqualTo(Action.NONE);
    }

    @Test
    void absentFromAFindAsksTheIndexAbsentFromTheIndexIsLost() {
        assertThat(decide(live(), false, false, read(11, false))).as("find on the token").isEqualTo(Action.READ_INDEX);
        assertThat(decide(live(), false, false, read(11, true))).as("index").isEqualTo(Action.LOST);
    }

    @Test
    void aNameHeldWithoutOurTokenIsAConflictReportedOnce() {
        ServiceEntry theirs = ServiceEntry.of(NAME, "port", "9090");
        RepairStep step = RepairStep.decide(live(), false, false, read(11, true, theirs), NAME, token);
        assertThat(step.action()).as("first seen").isEqualTo(Action.CONFLICT);
        assertThat(step.reconciliation().conflict()).as("the conflict to report").isNotNull();
        assertThat(decide(live(), false, true, read(11, true, theirs))).as("already reported").isEqualTo(Action.NONE);
    }

    @Test
    void ourAttributesChangedByAnotherClientAreWrittenBack() {
        ServiceEntry changed = new ServiceEntry(NAME, ours.attributes().with(Attributes.of("port", "1")));
        RepairStep step = RepairStep.decide(live(), false, false, read(11, false, changed), NAME, token);
        assertThat(step.action()).as("rewritten").isEqualTo(Action.WRITE_BACK);
        assertThat(step.reconciliation().writeBack().asMap()).as("ours to write back").containsEntry("port", "8080");
    }

    @Test
    void inLineEndsAConflictAndIsOtherwiseNothing() {
        assertThat(decide(live(), false, true, read(11, false, ours))).as("was in conflict").isEqualTo(Action.BACK_IN_LINE);
        assertThat(decide(live(), false, false, read(11, false, ours))).as("registered").isEqualTo(Action.NONE);
    }
}
