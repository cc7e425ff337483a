package io.regmgr;

/**
 * The registry could not be reached, or the connection to it was lost. Carries the address.
 */
public class RegistryConnectionException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final String address;

    /**
     * @param address the registry's address as configured, e.g. {@code tcp!reg!6675}
     * @param message what happened
     * @param cause the underlying failure, or null
     */
    public RegistryConnectionException(String address, String message, Throwable cause) {
        super(address + ": " + message, cause);
        this.address = address;
    }

    /** @return the registry's address */
    public String address() {
        return address;
    }
}
