package io.regmgr;

/** Where a {@link ServiceRegistration} stands. */
public enum RegistrationState {
    /** Not attached to a manager. */
    DETACHED,
    /** Attached, waiting for the registry (not connected, or the registration is in flight). */
    PENDING,
    /** Registered: the registry lists it with its current attributes. */
    REGISTERED,
    /**
     * Refused or dropped (removed by another client or by the registry while connected, too); a
     * retry is scheduled within the manager's backoff (see {@link RegistrationStatus#lastError()}).
     */
    RETRYING,
    /**
     * The name is held by another party's service, one not provably ours (it lacks this manager's
     * instance token): the manager does not write over it, and registers again as soon as the
     * registry no longer lists it ({@link RegistrationStatus#error()} is a
     * {@link RegistrationConflictException} naming the holder).
     */
    CONFLICT
}
