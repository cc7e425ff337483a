package io.regmgr;

/**
 * The registry refused a request with its own error string, e.g. {@code duplicate service name},
 * {@code bad service name}, {@code permission denied}. {@link #registryError()} is that exact string.
 */
public class RegistryErrorException extends RegistryException {
    private static final long serialVersionUID = 1L;

    /** The registry's answer when a service name is taken. */
    public static final String DUPLICATE_SERVICE_NAME = "duplicate service name";

    /** The registry's answer to a write on a service that was removed behind its creator's back. */
    public static final String SERVICE_REMOVED = "buggy program!";

    private final String registryError;

    /**
     * @param request what was asked, e.g. {@code "register tcp!host!80"}
     * @param registryError the registry's exact error string
     */
    public RegistryErrorException(String request, String registryError) {
        super(request + ": registry answered '" + registryError + "'");
        this.registryError = registryError;
    }

    /** @return the registry's exact error string */
    public String registryError() {
        return registryError;
    }

    /** @return whether the registry answered {@value #DUPLICATE_SERVICE_NAME} */
    public boolean isDuplicateName() {
        return DUPLICATE_SERVICE_NAME.equals(registryError);
    }
}
