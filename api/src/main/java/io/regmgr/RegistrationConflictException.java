package io.regmgr;

import java.util.Objects;

/**
 * The registry lists a service under one of our registrations' names that is not provably ours:
 * another party registered the name (or rewrote our instance token). Reported in
 * {@link RegistrationStatus#error()} with {@link RegistrationState#CONFLICT}; the manager never
 * writes over such a service, so two writers do not fight over one name.
 */
public class RegistrationConflictException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final String serviceName;

    /**
     * @param serviceName the name both want
     * @param holder what the registry lists under it now (its attributes, secrets excluded by the caller)
     * @param rule why it is not ours, e.g. {@code regmgr-instance is absent}
     */
    public RegistrationConflictException(String serviceName, String holder, String rule) {
        super("service " + Objects.requireNonNull(serviceName, "serviceName") + " is held by another party's service ("
                + holder + "): " + rule + "; not written over, registered again once the registry no longer lists it");
        this.serviceName = serviceName;
    }

    /** @return the name in conflict */
    public String serviceName() {
        return serviceName;
    }
}
