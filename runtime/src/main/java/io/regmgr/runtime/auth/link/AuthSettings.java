package io.regmgr.runtime.auth.link;

import io.regmgr.runtime.auth.KeyFile;
import io.regmgr.runtime.auth.SslAlgorithm;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one side authenticates: its key file, the algorithm (a client's choice) or the algorithms
 * allowed (a server's list, one word each, as {@code listen -a}), and the deadline for the
 * handshake. Immutable; {@link #toString()} names the key's owner only.
 *
 * @param key my key file
 * @param algorithms a client: one entry, the string it sends; a server: the words it allows
 * @param deadline the longest a handshake may take, algorithm frame included
 * @param status where the last successful handshake's identities are kept
 */
public record AuthSettings(KeyFile key, List<String> algorithms, Duration deadline, AuthStatus status) {
    /**
     * The client's default: {@code sha1}. A stock {@code listen} without {@code -a} accepts it, and
     * so does one hardened with {@code -a sha1}; it protects every 9P message's integrity with a
     * MAC keyed by the Diffie-Hellman secret. {@code rc4_256 sha1} adds secrecy, but RC4 is weak
     * and registry entries are not secret, and a {@code -a sha1} listener refuses it.
     */
    public static final String DEFAULT_CLIENT_ALGORITHM = "sha1";
    /** The handshake deadline by default: a real Inferno takes about 2.5 s, often more on a loaded host. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(20);

    /** Checks and copies. */
    public AuthSettings {
        Objects.requireNonNull(key, "key");
        algorithms = List.copyOf(algorithms);
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(status, "status");
    }

    /**
     * @param algorithm the string to send, e.g. {@code sha1}, {@code rc4_256 sha1}, {@code none}
     * @throws io.regmgr.runtime.auth.AuthException naming a word this implementation cannot run
     */
    public static AuthSettings client(KeyFile key, String algorithm) {
        SslAlgorithm.parse(algorithm);
        return new AuthSettings(key, List.of(algorithm), DEFAULT_DEADLINE, new AuthStatus());
    }

    /**
     * @param allowed the words a client may use; empty: what a stock {@code listen} without
     *     {@code -a} allows ({@code none}, every cipher and hash)
     */
    public static AuthSettings server(KeyFile key, List<String> allowed) {
        for (String w : allowed) {
            if (!w.equals("none") && !w.equals("clear")) {
                SslAlgorithm.parse(w);
            }
        }
        return new AuthSettings(key, allowed.isEmpty() ? SslAlgorithm.listenDefaults() : allowed, DEFAULT_DEADLINE,
                new AuthStatus());
    }

    /** @return a copy with another handshake deadline */
    public AuthSettings withDeadline(Duration d) {
        return new AuthSettings(key, algorithms, d, status);
    }

    @Override
    public String toString() {
        return "authentication as '" + key.owner() + "' with " + algorithms;
    }
}
