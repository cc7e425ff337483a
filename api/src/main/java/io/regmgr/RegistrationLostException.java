package io.regmgr;

import java.util.Objects;

/**
 * The registry no longer lists one of our registrations although the connection is up: another
 * client or an operator removed it (behind {@code export} every client may), or the registry
 * dropped it. Reported in {@link RegistrationStatus#error()} while the manager registers it again.
 */
public class RegistrationLostException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final String serviceName;

    /**
     * @param registry the registry's address
     * @param serviceName the service no longer listed
     */
    public RegistrationLostException(String registry, String serviceName) {
        super(registry + ": service " + Objects.requireNonNull(serviceName, "serviceName")
                + " is no longer listed while connected (removed by another client or by the registry);"
                + " registering it again");
        this.serviceName = serviceName;
    }

    /** @return the service that was lost */
    public String serviceName() {
        return serviceName;
    }
}
