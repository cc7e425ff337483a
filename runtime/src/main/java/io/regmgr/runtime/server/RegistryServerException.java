package io.regmgr.runtime.server;

import io.regmgr.RegistryException;

/** The embedded registry could not start, stop or read its configuration. */
public class RegistryServerException extends RegistryException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the address or file
     * @param cause the underlying failure
     */
    public RegistryServerException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message what failed, naming the address or file
     */
    public RegistryServerException(String message) {
        super(message);
    }
}
