package io.regmgr.runtime.client;

import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryErrorException;

import java.lang.System.Logger.Level;

/**
 * The msize a {@link StyxConnector} asks for, lowered once when the registry refuses something
 * because of the message size, so that the same refusal is never retried identically for ever.
 *
 * <p>A size refusal is the registry's {@code stat buffer too small} (every Tstat through
 * {@code export} above msize 65544) or {@code read/write -- count too big}. The first one at an
 * msize above {@link ConnectorOptions.DEFAULT_MSIZE} lowers the msize to that (8216, which every real
 * registry accepts); one at or below it is reported as it is, naming the cause and the option to
 * change. Thread-safe.
 */
final class MsizeFallback {
    private static final System.Logger LOG = System.getLogger(StyxConnector.class.getName());
    static final String STAT_BUFFER_TOO_SMALL = "stat buffer too small";
    static final String COUNT_TOO_BIG = "read/write -- count too big";

    private final int asked;
    private volatile int current;
    private volatile String lowered;

    MsizeFallback(int asked) {
        this.asked = asked;
        this.current = asked;
    }

    /** @return the msize to ask for now */
    int current() {
        return current;
    }

    /** @return why the msize was lowered, e.g. {@code msize 8216, lowered from 65560: ...}; null if it was not */
    String lowered() {
        return lowered;
    }

    /**
     * @param failure why a connect failed
     * @return whether it is a size refusal and the msize was lowered: then connect again at once
     */
    boolean lowerFor(Throwable failure, String address) {
        String refusal = sizeRefusal(failure);
        int was = current;
        if (refusal == null || was <= ConnectorOptions.DEFAULT_MSIZE) {
            return false;
        }
        current = ConnectorOptions.DEFAULT_MSIZE;
        lowered = "msize " + ConnectorOptions.DEFAULT_MSIZE + ", lowered from " + asked + " after the registry answered '"
                + refusal + "'";
        LOG.log(Level.WARNING, () -> "9P " + address + ": the registry answered '" + refusal + "' at msize " + was
                + "; connecting again with msize " + ConnectorOptions.DEFAULT_MSIZE + " (set ConnectorOptions msize to "
                + ConnectorOptions.DEFAULT_MSIZE + " or less to skip this)");
        return true;
    }

    /**
     * @return {@code failure} unchanged, or for a size refusal that lowering cannot cure, a
     *     {@link RegistryConnectionException} that names the cause and the option
     */
    Throwable explain(Throwable failure, String address) {
        String refusal = sizeRefusal(failure);
        if (refusal == null) {
            return failure;
        }
        return new RegistryConnectionException(address, "the registry refused the session because of the message size: it"
                + " answered '" + refusal + "' at msize " + current + " (ConnectorOptions msize " + asked
                + "); set ConnectorOptions msize lower (" + ConnectorOptions.DEFAULT_MSIZE + " works on every registry"
                + " observed)", failure);
    }

    private static String sizeRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RegistryErrorException e && (STAT_BUFFER_TOO_SMALL.equals(e.registryError())
                    || COUNT_TOO_BIG.equals(e.registryError()))) {
                return e.registryError();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
