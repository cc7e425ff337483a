package io.regmgr.runtime.cdi;

import io.regmgr.RegistryException;
import io.regmgr.runtime.auth.KeyFile;
import io.regmgr.runtime.auth.KeyFiles;
import io.regmgr.runtime.auth.SslAlgorithm;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.core.ManagerObserver;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryProfile;
import org.eclipse.microprofile.config.Config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The extension's settings, read from MicroProfile Config ({@link RegMgrConfig} lists the keys).
 * Immutable.
 *
 * @param address the registry's address (unused when the embedded registry is enabled)
 * @param transport how to reach it
 * @param user the user name presented to the registry, or null for the connector's default
 * @param bridgeFindPort the bridge's find port, if set
 * @param bridgeEventPort the bridge's event port, if set
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout one request's timeout
 * @param probeInterval silence before a liveness probe
 * @param probeDeadline how long a probe may take
 * @param reconnectInitialDelay the first reconnect delay's cap
 * @param reconnectMaxDelay every reconnect delay's cap
 * @param closeTimeout how long closing waits for the connection
 * @param embedded the embedded registry's settings
 * @param auth Inferno authentication for the 9P transport
 * @param msize the 9P msize to ask for, in bytes
 * @param restore how the manager reconnects and restores: probes, spread, registrations in flight
 * @param registrationSpare whether a 9P session that has registered keeps a spare fid on {@code new}
 */
public record Settings(String address, Transport transport, String user, OptionalInt bridgeFindPort,
        OptionalInt bridgeEventPort, Duration connectTimeout, Duration requestTimeout, Duration probeInterval,
        Duration probeDeadline, Duration reconnectInitialDelay, Duration reconnectMaxDelay, Duration closeTimeout,
        Embedded embedded, Auth auth, int msize, Restore restore, boolean registrationSpare) {

    /** How the manager reaches the registry. */
    public enum Transport {
        /** Native 9P2000 over one TCP connection. */
        STYX,
        /** The line bridge's three TCP ports. */
        BRIDGE
    }

    /**
     * How the manager reconnects and restores (see {@link ManagerOptions.Builder#reconnectProbes}).
     *
     * @param probes whether to probe while the registry is down before setting up a session
     * @param spread the upper bound of the random wait between a successful probe and the session setup
     * @param inFlight registrations under way at once over 9P
     */
    public record Restore(boolean probes, Duration spread, int inFlight) {
        static Restore read(Reader r) {
            String inFlight = r.text(RegMgrConfig.RESTORE_IN_FLIGHT, Integer.toString(RegMgrConfig.DEFAULT_RESTORE_IN_FLIGHT));
            int[] n = {RegMgrConfig.DEFAULT_RESTORE_IN_FLIGHT};
            r.check(RegMgrConfig.RESTORE_IN_FLIGHT, inFlight, v -> {
                try {
                    n[0] = Integer.parseInt(v.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + v + "' is not a whole number", e);
                }
                ManagerOptions.builder().restoreInFlight(n[0]);
            });
            if (n[0] < 1 || n[0] > 1024) {
                n[0] = RegMgrConfig.DEFAULT_RESTORE_IN_FLIGHT;
            }
            Duration spread = r.duration(RegMgrConfig.RESTORE_SPREAD, RegMgrConfig.DEFAULT_RESTORE_SPREAD);
            return new Restore(r.bool(RegMgrConfig.RECONNECT_PROBES, RegMgrConfig.DEFAULT_RECONNECT_PROBES), spread, n[0]);
        }
    }

    /**
     * The embedded registry's settings.
     *
     * @param enabled whether to start it in-process and connect to it
     * @param styx where it serves 9P2000
     * @param bridge where its line bridge listens, or {@code off}
     * @param dbFile its static services, if any
     * @param profile which kind of real registry it behaves like
     */
    public record Embedded(boolean enabled, String styx, String bridge, Optional<Path> dbFile, RegistryProfile profile) {
        /**
         * @param transport the transport the manager will use
         * @return a registry, not yet started, as configured
         */
        public EmbeddedRegistry build(Transport transport) {
            EmbeddedRegistry.Builder b = EmbeddedRegistry.builder().styx(styx).profile(profile);
            if (!"off".equals(bridge)) {
                b.bridge(bridge);
            } else if (transport == Transport.BRIDGE) {
                b.bridge("tcp!127.0.0.1!0");
            }
            dbFile.ifPresent(b::staticServices);
            return b.build();
        }
    }

    /**
     * Inferno authentication for the 9P transport.
     *
     * @param key the key file's content, or null for plain 9P
     * @param algorithm the record algorithm to ask for
     */
    public record Auth(KeyFile key, String algorithm) {
        static Auth read(Reader r) {
            String alg = r.text(RegMgrConfig.AUTH_ALG, RegMgrConfig.DEFAULT_AUTH_ALG);
            r.check(RegMgrConfig.AUTH_ALG, alg, SslAlgorithm::parse);
            KeyFile[] key = new KeyFile[1];
            r.optional(RegMgrConfig.AUTH_KEY_FILE).ifPresent(f -> r.check(RegMgrConfig.AUTH_KEY_FILE, f,
                    path -> key[0] = KeyFiles.read(Path.of(path))));
            return new Auth(key[0], alg);
        }
    }

    private static RegistryProfile embeddedProfile(Reader r) {
        String name = r.text(RegMgrConfig.EMBEDDED_PROFILE, RegMgrConfig.DEFAULT_EMBEDDED_PROFILE);
        RegistryProfile[] profile = {RegistryProfile.DEFAULT};
        r.check(RegMgrConfig.EMBEDDED_PROFILE, name, n -> profile[0] = RegistryProfile.parse(n));
        return profile[0];
    }

    /**
     * Reads and checks every setting, collecting every problem rather than stopping at the first.
     *
     * @param config the application's configuration
     * @param problems receives one message per invalid setting, naming the key, the value and the rule
     * @return the settings (with defaults in place of invalid values)
     */
    public static Settings read(Config config, List<String> problems) {
        Reader r = new Reader(k -> config.getOptionalValue(k, String.class), problems);
        String address = r.text(RegMgrConfig.ADDRESS, RegMgrConfig.DEFAULT_ADDRESS);
        r.check(RegMgrConfig.ADDRESS, address, a -> ConnectorOptions.builder(a));
        String transportText = r.text(RegMgrConfig.TRANSPORT, RegMgrConfig.DEFAULT_TRANSPORT);
        Transport transport = Transport.STYX;
        switch (transportText.trim().toLowerCase(Locale.ROOT)) {
            case "styx" -> transport = Transport.STYX;
            case "bridge" -> transport = Transport.BRIDGE;
            default -> problems.add("Invalid " + RegMgrConfig.TRANSPORT + " '" + transportText
                    + "': the transports are styx (native 9P2000) and bridge (the line bridge)");
        }
        Duration initial = r.duration(RegMgrConfig.RECONNECT_INITIAL_DELAY, RegMgrConfig.DEFAULT_RECONNECT_INITIAL_DELAY);
        Duration max = r.duration(RegMgrConfig.RECONNECT_MAX_DELAY, RegMgrConfig.DEFAULT_RECONNECT_MAX_DELAY);
        if (max.compareTo(initial) < 0) {
            problems.add("Invalid " + RegMgrConfig.RECONNECT_MAX_DELAY + " '" + max + "': below "
                    + RegMgrConfig.RECONNECT_INITIAL_DELAY + " '" + initial + "'");
            max = initial;
        }
        Embedded embedded = new Embedded(r.bool(RegMgrConfig.EMBEDDED_ENABLED, RegMgrConfig.DEFAULT_EMBEDDED_ENABLED),
                r.text(RegMgrConfig.EMBEDDED_STYX, RegMgrConfig.DEFAULT_EMBEDDED_STYX),
                r.text(RegMgrConfig.EMBEDDED_BRIDGE, RegMgrConfig.DEFAULT_EMBEDDED_BRIDGE),
                r.optional(RegMgrConfig.EMBEDDED_DB_FILE).map(Path::of), embeddedProfile(r));
        r.check(RegMgrConfig.EMBEDDED_STYX, embedded.styx(), a -> EmbeddedRegistry.builder().styx(a));
        r.check(RegMgrConfig.EMBEDDED_BRIDGE, embedded.bridge(), a -> EmbeddedRegistry.builder().bridge(a));
        return new Settings(address, transport, r.optional(RegMgrConfig.USER).orElse(null),
                r.port(RegMgrConfig.BRIDGE_FIND_PORT), r.port(RegMgrConfig.BRIDGE_EVENT_PORT),
                r.duration(RegMgrConfig.CONNECT_TIMEOUT, RegMgrConfig.DEFAULT_CONNECT_TIMEOUT),
                r.duration(RegMgrConfig.REQUEST_TIMEOUT, RegMgrConfig.DEFAULT_REQUEST_TIMEOUT),
                r.duration(RegMgrConfig.PROBE_INTERVAL, RegMgrConfig.DEFAULT_PROBE_INTERVAL),
                r.duration(RegMgrConfig.PROBE_DEADLINE, RegMgrConfig.DEFAULT_PROBE_DEADLINE),
                initial, max, r.duration(RegMgrConfig.CLOSE_TIMEOUT, RegMgrConfig.DEFAULT_CLOSE_TIMEOUT), embedded,
                Auth.read(r), r.msize(), Restore.read(r),
                r.bool(RegMgrConfig.REGISTRATION_SPARE, RegMgrConfig.DEFAULT_REGISTRATION_SPARE));
    }

    /**
     * @param embeddedRegistry the started embedded registry to connect to, or null for {@link #address()}
     * @return how the connector reaches the registry
     */
    public ConnectorOptions connectorOptions(EmbeddedRegistry embeddedRegistry) {
        String target = address;
        if (embeddedRegistry != null) {
            target = transport == Transport.BRIDGE ? "127.0.0.1:" + embeddedRegistry.bridgeNewPort()
                    : embeddedRegistry.styxAddress().toString();
        }
        ConnectorOptions.Builder b = ConnectorOptions.builder(target).connectTimeout(connectTimeout)
                .requestTimeout(requestTimeout).probe(probeInterval, probeDeadline).msize(msize)
                .spareNewFid(registrationSpare);
        if (user != null) {
            b.user(user);
        }
        if (auth.key() != null && transport == Transport.STYX) {
            b.authentication(auth.key(), auth.algorithm());
        }
        if (embeddedRegistry != null && transport == Transport.BRIDGE) {
            b.bridgePorts(embeddedRegistry.bridgeFindPort(), embeddedRegistry.bridgeEventPort());
        } else if (bridgeFindPort.isPresent() || bridgeEventPort.isPresent()) {
            int port = b.build().address().port();
            b.bridgePorts(bridgeFindPort.orElse(port + 1), bridgeEventPort.orElse(port + 2));
        }
        return b.build();
    }

    /**
     * @param name the manager's name (its threads' prefix)
     * @return how the manager behaves
     */
    public ManagerOptions managerOptions(String name) {
        return managerOptions(name, ManagerObserver.Factory.NONE);
    }

    /**
     * @param name the manager's name (its threads' prefix)
     * @param metrics what observes the manager for metrics
     * @return how the manager behaves
     */
    public ManagerOptions managerOptions(String name, ManagerObserver.Factory metrics) {
        return ManagerOptions.builder().name(name).reconnectDelays(reconnectInitialDelay, reconnectMaxDelay)
                .reconnectProbes(restore.probes()).restoreSpread(restore.spread()).restoreInFlight(restore.inFlight())
                .closeTimeout(closeTimeout).metrics(metrics).build();
    }

    /** Reads typed values, recording a problem and falling back to the default when one is invalid. */
    private record Reader(Function<String, Optional<String>> lookup, List<String> problems) {
        Optional<String> optional(String key) {
            return lookup.apply(key);
        }

        String text(String key, String fallback) {
            return lookup.apply(key).orElse(fallback);
        }

        Duration duration(String key, Duration fallback) {
            Optional<String> v = lookup.apply(key);
            if (v.isEmpty()) {
                return fallback;
            }
            try {
                return Durations.parse(key, v.get());
            } catch (RegistryException e) {
                problems.add(e.getMessage());
                return fallback;
            }
        }

        boolean bool(String key, boolean fallback) {
            Optional<String> v = lookup.apply(key).map(s -> s.trim().toLowerCase(Locale.ROOT));
            if (v.isEmpty()) {
                return fallback;
            }
            if (!v.get().equals("true") && !v.get().equals("false")) {
                problems.add("Invalid " + key + " '" + v.get() + "': must be true or false");
                return fallback;
            }
            return Boolean.parseBoolean(v.get());
        }

        OptionalInt port(String key) {
            Optional<String> v = lookup.apply(key);
            if (v.isEmpty()) {
                return OptionalInt.empty();
            }
            try {
                int p = Integer.parseInt(v.get().trim());
                if (p > 0 && p <= 65535) {
                    return OptionalInt.of(p);
                }
            } catch (NumberFormatException e) {
                // reported below with the rule
            }
            problems.add("Invalid " + key + " '" + v.get() + "': a port is a number in 1..65535");
            return OptionalInt.empty();
        }

        int msize() {
            String v = text(RegMgrConfig.MSIZE, Integer.toString(ConnectorOptions.DEFAULT_MSIZE)).trim();
            try {
                int bytes = Integer.parseInt(v);
                if (bytes >= ConnectorOptions.MIN_MSIZE) {
                    return bytes;
                }
            } catch (NumberFormatException e) {
                // reported below with the rule
            }
            problems.add("Invalid " + RegMgrConfig.MSIZE + " '" + v + "': an msize is a whole number of bytes, at least "
                    + ConnectorOptions.MIN_MSIZE);
            return ConnectorOptions.DEFAULT_MSIZE;
        }

        void check(String key, String value, Consumer<String> parser) {
            try {
                parser.accept(value);
            } catch (RegistryException | IllegalArgumentException e) {
                problems.add("Invalid " + key + ": " + e.getMessage());
            }
        }
    }
}
