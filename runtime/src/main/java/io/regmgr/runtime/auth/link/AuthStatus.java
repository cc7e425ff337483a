package io.regmgr.runtime.auth.link;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The identities of the last successful handshake made with one {@link AuthSettings}: who we
 * authenticated as, who the peer is (its key's owner) and the record algorithm. For status and
 * readiness reports. Thread-safe.
 */
public final class AuthStatus {
    private final AtomicReference<SecureSocket.Identity> last = new AtomicReference<>(SecureSocket.Identity.NONE);

    /** @return the last successful handshake's identities, or {@link SecureSocket.Identity#NONE} before one */
    public SecureSocket.Identity last() {
        return last.get();
    }

    void succeeded(SecureSocket.Identity identity) {
        last.set(identity);
    }

    @Override
    public String toString() {
        return last.get().toString();
    }
}
