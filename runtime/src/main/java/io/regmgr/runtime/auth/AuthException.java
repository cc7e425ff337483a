package io.regmgr.runtime.auth;

import io.regmgr.RegistryException;

/**
 * Authentication or the record layer failed. {@link #reason()} holds the words Inferno uses for
 * the same failure ({@code pk doesn't match certificate}, {@code remote: certificate expired},
 * {@code bad digest}, ...), so a log or a readiness report reads like Inferno's own; the message
 * adds what was seen. Never carries a secret.
 */
public class AuthException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String detail;

    /**
     * @param reason Inferno's words for the failure
     * @param detail what was seen (element, value, rule), or null
     */
    public AuthException(String reason, String detail) {
        super(detail == null ? reason : reason + " (" + detail + ")");
        this.reason = reason;
        this.detail = detail;
    }

    /** @return what was seen, or null */
    public String detail() {
        return detail;
    }

    /** @return Inferno's words for the failure, e.g. {@code pk doesn't match certificate} */
    public String reason() {
        return reason;
    }

    /** @return whether the peer reported the failure (its words start with {@code remote: }) */
    public boolean fromPeer() {
        return reason.startsWith("remote: ");
    }
}
