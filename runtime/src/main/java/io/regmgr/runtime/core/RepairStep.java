package io.regmgr.runtime.core;

import io.regmgr.runtime.core.Reconciliation.Kind;

/**
 * What one read of the registry calls for, for one registration: the decision part of its repair,
 * with no I/O, so that every rule can be tested on its own. The {@link ManagedRegistration} acts
 * on it. Immutable.
 *
 * @param action what to do
 * @param reconciliation the comparison it came from (for {@link Action#CONFLICT} and
 *     {@link Action#WRITE_BACK}), else null
 */
record RepairStep(Action action, Reconciliation reconciliation) {
    /** What the registration does next. */
    enum Action {
        /** Nothing: the registry holds what we want, or there is nothing to compare. */
        NONE,
        /** Register again: in conflict, and the other party left the name. */
        REGISTER,
        /** A write of ours is under way: compare again once it is confirmed. */
        RECHECK,
        /** The read may precede our latest write and differs: read our names again. */
        READ_AGAIN,
        /** Not found under our token: read every name to tell gone from rewritten. */
        READ_INDEX,
        /** The registry no longer holds our service: let go of it and register again. */
        LOST,
        /** Another party holds the name: report the conflict (once). */
        CONFLICT,
        /** Another client changed our attributes: write ours back. */
        WRITE_BACK,
        /** The conflict is over: our service is held as we want it. */
        BACK_IN_LINE
    }

    private static final RepairStep NOTHING = new RepairStep(Action.NONE, null);

    /**
     * @param live the registration the registry holds, or null
     * @param registering whether an attempt of this session is in flight
     * @param inConflict whether the registration reports a conflict now
     * @param held what the read saw
     * @param name the service's name
     * @param token the manager's instance token
     * @return the step
     */
    static RepairStep decide(RegistrationAttempt live, boolean registering, boolean inConflict, Holdings held,
            String name, InstanceToken token) {
        if (live == null) {
            return inConflict && held.get(name).isEmpty() ? new RepairStep(Action.REGISTER, null) : NOTHING;
        }
        if (live.updating || registering) {
            return new RepairStep(Action.RECHECK, null);
        }
        Reconciliation r = Reconciliation.of(live.confirmed.entry(), held.get(name), token);
        if (held.read() <= live.confirmedRead) {
            // Sent before our latest write was confirmed, it may show the registry before that write
            // or after it (and after another client's change): never ignored when it differs from
            // what we want, but not acted on either; a read sent now decides (the planned find, or
            // the index without a token).
            return r.kind() == Kind.IN_LINE ? NOTHING : new RepairStep(Action.READ_AGAIN, r);
        }
        if (r.kind() == Kind.ABSENT && !held.complete()) {
            // not under our token: gone, or rewritten by another party? the index tells (sent after
            // our latest write was confirmed, as the find was)
            return new RepairStep(Action.READ_INDEX, r);
        }
        return switch (r.kind()) {
            case ABSENT -> new RepairStep(Action.LOST, r);
            case CONFLICT -> inConflict ? NOTHING : new RepairStep(Action.CONFLICT, r);
            case WRITE_BACK -> new RepairStep(Action.WRITE_BACK, r);
            case IN_LINE -> inConflict ? new RepairStep(Action.BACK_IN_LINE, r) : NOTHING;
        };
    }
}
