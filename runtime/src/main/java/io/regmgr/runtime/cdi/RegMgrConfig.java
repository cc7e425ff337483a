package io.regmgr.runtime.cdi;

import io.regmgr.runtime.auth.link.AuthSettings;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.core.ManagerOptions;

import java.time.Duration;

/**
 * Every MicroProfile Config key the CDI extension reads, and its default: the one place they are
 * defined (the README's table mirrors it). Keys start with {@code regmgr.} and are lower case with
 * dashes; durations are written {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601
 * ({@code PT5S}). Environment variables follow the MicroProfile rule ({@code REGMGR_EMBEDDED_ENABLED}).
 */
public final class RegMgrConfig {
    /** The prefix of every key. */
    public static final String PREFIX = "regmgr.";

    /** The registry: a dial string ({@code tcp!host!6675}) or {@code host:port}; for the bridge, its {@code new} port. */
    public static final String ADDRESS = "regmgr.address";
    /** Default {@link #ADDRESS}: the standalone and embedded registries' default. */
    public static final String DEFAULT_ADDRESS = "tcp!127.0.0.1!6675";

    /** How to reach the registry: {@code styx} (native 9P2000) or {@code bridge} (the line bridge). */
    public static final String TRANSPORT = "regmgr.transport";
    /** Default {@link #TRANSPORT}. */
    public static final String DEFAULT_TRANSPORT = "styx";

    /** The user name presented to the registry (9P attach name: the owner of our services). Default: the {@code user.name} system property. */
    public static final String USER = "regmgr.user";

    /** The line bridge's {@code find} port. Default: the address port + 1. */
    public static final String BRIDGE_FIND_PORT = "regmgr.bridge.find-port";
    /** The line bridge's {@code event} port. Default: the address port + 2. */
    public static final String BRIDGE_EVENT_PORT = "regmgr.bridge.event-port";

    /** How long a TCP connect may take. */
    public static final String CONNECT_TIMEOUT = "regmgr.connect-timeout";
    /** Default {@link #CONNECT_TIMEOUT}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = ConnectorOptions.DEFAULT_CONNECT_TIMEOUT;

    /** How long one request may take. */
    public static final String REQUEST_TIMEOUT = "regmgr.request-timeout";
    /** Default {@link #REQUEST_TIMEOUT}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = ConnectorOptions.DEFAULT_REQUEST_TIMEOUT;

    /** Silence after which a liveness probe is sent. */
    public static final String PROBE_INTERVAL = "regmgr.probe.interval";
    /** Default {@link #PROBE_INTERVAL}. */
    public static final Duration DEFAULT_PROBE_INTERVAL = ConnectorOptions.DEFAULT_PROBE_INTERVAL;

    /** How long a probe may take before the connection is declared dead. */
    public static final String PROBE_DEADLINE = "regmgr.probe.deadline";
    /** Default {@link #PROBE_DEADLINE}. */
    public static final Duration DEFAULT_PROBE_DEADLINE = ConnectorOptions.DEFAULT_PROBE_DEADLINE;

    /** The shortest interval between probes while the registry is down; the cap of the first retry's delay. */
    public static final String RECONNECT_INITIAL_DELAY = "regmgr.reconnect.initial-delay";
    /** Default {@link #RECONNECT_INITIAL_DELAY}. */
    public static final Duration DEFAULT_RECONNECT_INITIAL_DELAY = ManagerOptions.DEFAULT_RECONNECT_INITIAL_DELAY;

    /** The longest interval between probes; the cap of every backoff (full jitter). */
    public static final String RECONNECT_MAX_DELAY = "regmgr.reconnect.max-delay";
    /** Default {@link #RECONNECT_MAX_DELAY}. */
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = ManagerOptions.DEFAULT_RECONNECT_MAX_DELAY;

    /** Whether the manager probes (cheap TCP connects) while the registry is down, before setting up a session. */
    public static final String RECONNECT_PROBES = "regmgr.reconnect.probes";
    /** Default {@link #RECONNECT_PROBES}: on. */
    public static final boolean DEFAULT_RECONNECT_PROBES = true;

    /**
     * Whether a 9P session that has registered keeps one spare fid opened on {@code new}, so that
     * each later registration is one write (see {@code ConnectorOptions.Builder#spareNewFid}).
     */
    public static final String REGISTRATION_SPARE = "regmgr.registration.spare";
    /** Default {@link #REGISTRATION_SPARE}: on. */
    public static final boolean DEFAULT_REGISTRATION_SPARE = true;

    /** The upper bound of the random wait between a successful probe and the session setup. */
    public static final String RESTORE_SPREAD = "regmgr.restore.spread";
    /** Default {@link #RESTORE_SPREAD}. */
    public static final Duration DEFAULT_RESTORE_SPREAD = ManagerOptions.DEFAULT_RESTORE_SPREAD;

    /** How many registrations one manager has under way at once over 9P. */
    public static final String RESTORE_IN_FLIGHT = "regmgr.restore.in-flight";
    /** Default {@link #RESTORE_IN_FLIGHT}. */
    public static final int DEFAULT_RESTORE_IN_FLIGHT = ManagerOptions.DEFAULT_RESTORE_IN_FLIGHT;

    /** How long stopping the application waits for the connection to close. */
    public static final String CLOSE_TIMEOUT = "regmgr.close-timeout";
    /** Default {@link #CLOSE_TIMEOUT}. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = ManagerOptions.DEFAULT_CLOSE_TIMEOUT;

    /**
     * An Inferno key file (authinfo, as {@code auth/mkauthinfo} or the launcher's {@code mkauthinfo}
     * writes it): when set, the 9P transport authenticates as Inferno's {@code mount -k} does, as
     * a stock {@code svc/registry} ({@code listen} without {@code -A}) requires. Default: unset, plain 9P.
     */
    public static final String AUTH_KEY_FILE = "regmgr.auth.key-file";
    /** The record algorithm asked for after authentication, e.g. {@code sha1}, {@code rc4_256 sha1}, {@code none}. */
    public static final String AUTH_ALG = "regmgr.auth.alg";
    /** Default {@link #AUTH_ALG}: integrity, and accepted by a stock {@code listen} (see {@link AuthSettings#DEFAULT_CLIENT_ALGORITHM}). */
    public static final String DEFAULT_AUTH_ALG = AuthSettings.DEFAULT_CLIENT_ALGORITHM;

    /**
     * The 9P msize to ask for, in bytes. The default works on every real registry; a registry that
     * refuses a larger one for its size is adapted to once (see {@code ConnectorOptions#msize}).
     */
    public static final String MSIZE = "regmgr.msize";

    /** Whether to start an embedded registry in-process and connect to it (then {@link #ADDRESS} is not used). */
    public static final String EMBEDDED_ENABLED = "regmgr.embedded.enabled";
    /** Default {@link #EMBEDDED_ENABLED}. */
    public static final boolean DEFAULT_EMBEDDED_ENABLED = false;

    /** Where the embedded registry serves 9P2000; port 0 lets the OS choose. */
    public static final String EMBEDDED_STYX = "regmgr.embedded.styx";
    /** Default {@link #EMBEDDED_STYX}: the registry's well-known port on loopback. */
    public static final String DEFAULT_EMBEDDED_STYX = "tcp!127.0.0.1!6675";

    /** The embedded registry's line bridge ({@code new} port; find and event follow), or {@code off}. */
    public static final String EMBEDDED_BRIDGE = "regmgr.embedded.bridge";
    /** Default {@link #EMBEDDED_BRIDGE}; with {@code regmgr.transport=bridge} a free loopback port is used instead. */
    public static final String DEFAULT_EMBEDDED_BRIDGE = "off";

    /**
     * Which kind of real registry the embedded one behaves like: {@code default} (well-behaved),
     * {@code exported} (behind {@code export}/{@code styxlisten -A}, its defects included) or
     * {@code direct} (9P straight into {@code ndb/registry}).
     */
    public static final String EMBEDDED_PROFILE = "regmgr.embedded.profile";
    /** Default {@link #EMBEDDED_PROFILE}. */
    public static final String DEFAULT_EMBEDDED_PROFILE = "default";

    /** Static services of the embedded registry: an attrdb(6) file read at every start. Default: none. */
    public static final String EMBEDDED_DB_FILE = "regmgr.embedded.db-file";

    /** Services declared in configuration: {@code regmgr.services.<id>.name} and {@code .attributes.<attr>}. */
    public static final String SERVICES = "regmgr.services.";
    /** A configured service's name, under {@code regmgr.services.<id>.}. */
    public static final String SERVICE_NAME = "name";
    /** A configured service's attributes, under {@code regmgr.services.<id>.}: {@code attributes.<attr>=value}. */
    public static final String SERVICE_ATTRIBUTES = "attributes.";

    /** Monitors declared in configuration: {@code regmgr.monitors.<id>.filter}. */
    public static final String MONITORS = "regmgr.monitors.";
    /** A configured monitor's filter, under {@code regmgr.monitors.<id>.}: {@code attr=value} pairs separated by commas, or {@code *} for every service. */
    public static final String MONITOR_FILTER = "filter";

    private RegMgrConfig() {
    }
}
