package io.regmgr;

/**
 * Something exceeded one of the documented limits (a line length, a message size, a count).
 * Thrown both for local input refused before sending and for oversized input from a peer.
 */
public class LimitExceededException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final String limit;
    private final long maximum;
    private final long actual;

    /**
     * @param limit the name of the limit, e.g. {@code "line length"}
     * @param maximum the largest allowed value
     * @param actual the value that was seen (a lower bound when counting stopped early)
     * @param context what was being read or written when the limit was hit
     */
    public LimitExceededException(String limit, long maximum, long actual, String context) {
        super(context + ": " + limit + " " + actual + " exceeds the maximum of " + maximum);
        this.limit = limit;
        this.maximum = maximum;
        this.actual = actual;
    }

    /** @return the name of the limit that was exceeded */
    public String limit() {
        return limit;
    }

    /** @return the largest allowed value */
    public long maximum() {
        return maximum;
    }

    /** @return the value that was seen */
    public long actual() {
        return actual;
    }
}
