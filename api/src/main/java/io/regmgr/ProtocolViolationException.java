package io.regmgr;

/**
 * A peer sent something the protocol does not allow: a malformed 9P message, garbage on a line
 * connection, a reply to a request never made. The connection that carried it is closed; other
 * connections and tasks are unaffected.
 */
public class ProtocolViolationException extends RegistryException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the field and the rule
     */
    public ProtocolViolationException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, naming the field and the rule
     * @param cause the underlying failure
     */
    public ProtocolViolationException(String message, Throwable cause) {
        super(message, cause);
    }
}
