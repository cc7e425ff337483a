package io.regmgr;

/**
 * Base of every unchecked exception thrown by RegMgr.
 *
 * <p>Subclasses say what went wrong in terms a caller can act on: a value refused before it reached
 * the wire ({@link InvalidEntryException}), a limit ({@link LimitExceededException}) or a peer that
 * broke the protocol ({@link ProtocolViolationException}).
 */
public abstract class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, naming the element, the value and the rule
     */
    protected RegistryException(String message) {
        super(message);
    }

    /**
     * @param message what happened, naming the element, the value and the rule
     * @param cause the underlying failure
     */
    protected RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
