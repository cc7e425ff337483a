package io.regmgr.runtime.cdi;

import io.regmgr.ConnectionStatus;
import io.regmgr.RegistryAuthenticationException;
import io.regmgr.runtime.auth.link.AuthSettings;
import io.regmgr.runtime.auth.link.SecureSocket;

import java.util.Map;

/** What readiness says about Inferno authentication: only what is true now. Stateless. */
final class AuthReport {
    private AuthReport() {
    }

    /**
     * When a key is configured, adds {@code auth-alg} (the algorithm asked for) and:
     * <ul>
     *   <li>while connected, {@code authenticated-as} and {@code registry-key-owner}: the identities
     *       of the handshake the current session made;</li>
     *   <li>otherwise {@code auth-key-owner}: who the manager tries to authenticate as (the key's
     *       owner). The identities of an earlier session are not shown: they are no longer true.
     *       While the last failure was an authentication refusal, {@code connection} says
     *       {@code authentication failed: <reason>} instead of the connecting state.</li>
     * </ul>
     *
     * @param auth the connector's authentication, or null
     * @param status the manager's connection now
     * @param data where to add the entries
     */
    static void describe(AuthSettings auth, ConnectionStatus status, Map<String, Object> data) {
        if (auth == null) {
            return;
        }
        // every handshake that succeeds replaces last(), so while connected it is the current session's
        SecureSocket.Identity last = auth.status().last();
        if (status.isConnected() && last.authenticated()) {
            data.put("authenticated-as", last.self());
            data.put("registry-key-owner", last.peer());
        } else {
            data.put("auth-key-owner", auth.key().owner());
        }
        data.put("auth-alg", auth.algorithms().get(0));
        if (!status.isConnected() && status.cause() instanceof RegistryAuthenticationException a) {
            data.put("connection", "authentication failed: " + a.reason());
        }
    }
}
