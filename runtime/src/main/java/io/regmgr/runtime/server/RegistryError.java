package io.regmgr.runtime.server;

/**
 * A refusal by the registry, carrying its exact error string (e.g. {@code "duplicate service name"}).
 * The 9P front end answers it as {@code Rerror}; the line bridge closes the connection.
 * Cheap to throw: it records no stack trace, since it is an answer, not a bug.
 */
final class RegistryError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RegistryError(String registryMessage) {
        super(registryMessage, null, false, false);
    }
}
