package io.regmgr;

import java.time.Duration;

/**
 * A request, a connection attempt or a liveness probe got no answer in time. The answer did not
 * come; that does not mean the request did nothing: a request already sent may have taken effect
 * on the registry (a removal, a write), so check with a find after reconnecting where it matters.
 */
public class RegistryTimeoutException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    /**
     * @param what what timed out, e.g. {@code "find on tcp!reg!6675"}
     * @param timeout how long it waited
     */
    public RegistryTimeoutException(String what, Duration timeout) {
        super(what + ": no answer within " + timeout.toMillis() + " ms");
        this.timeout = timeout;
    }

    /** @return how long it waited */
    public Duration timeout() {
        return timeout;
    }
}
