package io.regmgr.runtime.cdi;

import io.regmgr.ConnectionStatus;
import io.regmgr.RegistryAuthenticationException;
import io.regmgr.runtime.auth.link.AuthSettings;
import io.regmgr.runtime.auth.link.SecureSocket;

import java.util.Map;

/** What readiness says about Inferno authentication. Stateless. */
final class AuthReport {
    private AuthReport() {
    }

    /**
     * Adds {@code authenticated-as}, {@code registry-key-owner} and {@code auth-alg} when a key is
     * configured; while the last failure was an authentication refusal, {@code connection} says
     * {@code authentication failed: <reason>} instead of the connecting state.
     *
     * @param auth the connector's authentication, or null
     */
    static void describe(AuthSettings auth, ConnectionStatus status, Map<String, Object> data) {
        if (auth == null) {
            return;
        }
        SecureSocket.Identity last = auth.status().last();
        data.put("authenticated-as", auth.key().owner());
        data.put("auth-alg", auth.algorithms().get(0));
        if (last.authenticated()) {
            data.put("registry-key-owner", last.peer());
        }
        if (!status.isConnected() && status.cause() instanceof RegistryAuthenticationException a) {
            data.put("connection", "authentication failed: " + a.reason());
        }
    }
}
