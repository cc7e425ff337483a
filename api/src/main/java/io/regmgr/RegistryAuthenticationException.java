package io.regmgr;

/**
 * Authentication with the registry failed, or the registry closed the connection right after it
 * (typically because it does not allow the record algorithm we asked for). A configuration
 * problem rather than a network blip: the manager keeps retrying with backoff, and readiness says
 * {@code authentication failed: <reason>}. {@link #reason()} holds the words Inferno uses, e.g.
 * {@code pk doesn't match certificate} (our key is not signed by the registry's signer) or
 * {@code remote: certificate expired} (the registry says our certificate expired). Never carries a
 * secret.
 */
public class RegistryAuthenticationException extends RegistryConnectionException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param address the registry's address as configured
     * @param reason the failure in Inferno's words
     * @param detail what was seen, or null
     * @param cause the underlying failure, or null
     */
    public RegistryAuthenticationException(String address, String reason, String detail, Throwable cause) {
        super(address, "authentication failed: " + reason + (detail == null ? "" : " (" + detail + ")"), cause);
        this.reason = reason;
    }

    /** @return the failure in Inferno's words */
    public String reason() {
        return reason;
    }
}
