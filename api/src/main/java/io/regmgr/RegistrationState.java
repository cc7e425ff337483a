package io.regmgr;

/** Where a {@link ServiceRegistration} stands. */
public enum RegistrationState {
    /** Not attached to a manager. */
    DETACHED,
    /** Attached, waiting for the registry (not connected, or the registration is in flight). */
    PENDING,
    /** Registered: the registry lists it with its current attributes. */
    REGISTERED,
    /** Refused or dropped; a retry is scheduled (see {@link RegistrationStatus#lastError()}). */
    RETRYING
}
