package io.regmgr.runtime.client;

import io.regmgr.runtime.auth.KeyFile;
import io.regmgr.runtime.auth.KeyFiles;
import io.regmgr.runtime.auth.link.AuthSettings;
import io.regmgr.runtime.protocol.DialAddress;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Objects;

/**
 * How a connector reaches a registry: address, identity, timeouts, liveness probe and limits.
 * Immutable and thread-safe; build with {@link #builder(String)}.
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>option</th><th>default</th></tr>
 * <tr><td>user</td><td>the {@code user.name} system property (9P {@code Tattach} uname)</td></tr>
 * <tr><td>connect timeout</td><td>5 s</td></tr>
 * <tr><td>request timeout</td><td>10 s</td></tr>
 * <tr><td>probe interval / deadline</td><td>5 s / 3 s</td></tr>
 * <tr><td>TCP keepalive</td><td>on</td></tr>
 * <tr><td>max answer bytes</td><td>1 MiB (a find or index answer)</td></tr>
 * <tr><td>9P msize asked</td><td>8216 (see {@link #DEFAULT_MSIZE})</td></tr>
 * <tr><td>bridge ports</td><td>new = address port, find = +1, event = +2</td></tr>
 * <tr><td>9P spare fid on {@code new}</td><td>on (see {@link Builder#spareNewFid(boolean)})</td></tr>
 * <tr><td>bridge find connections opened in advance</td><td>none (opt in: {@link Builder#bridgeFindPool(int)})</td></tr>
 * </table>
 */
public final class ConnectorOptions {
    /** Default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default request timeout. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default time without traffic after which a probe is sent. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(5);
    /** Default time a probe may take before the connection is declared dead. */
    public static final Duration DEFAULT_PROBE_DEADLINE = Duration.ofSeconds(3);
    /** Default limit on one find or index answer, as in the original Perl module. */
    public static final int DEFAULT_MAX_ANSWER_BYTES = 1 << 20;
    /**
     * The msize a 9P client asks for: 8216, chosen to work on every real registry observed.
     * A registry straight on 9P offers at most 8216. Through {@code export} ({@code styxlisten -A},
     * {@code listen}) it accepts 65560, but every Tstat fails ({@code stat buffer too small}) above
     * 65544 and reads and writes are cut to an iounit of 8192 anyway; 8216 is that iounit plus the
     * 24-byte read/write header, so no registry can use more. A larger msize buys nothing but the
     * risk: if a registry still refuses a size, the connector lowers a larger msize to this one once
     * (logged as a warning, and in {@link StyxConnector#describe()}) or fails naming the cause.
     */
    public static final int DEFAULT_MSIZE = 8216;
    /**
     * How many connections to the line bridge's {@code find} port a session keeps open in advance at
     * most, by default: none (0), each find opens its connection when it runs, as the Perl module
     * does. Opt in with {@link Builder#bridgeFindPool(int)} ({@link #SUGGESTED_BRIDGE_FIND_POOL}): an
     * empty answer is a close with no bytes, so a pooled connection whose close crosses the filter
     * on the wire (the bridge or its registry going away) can only be told from "no services" by
     * timing, and on a loaded machine a monitor then briefly reported removals during a registry
     * stop (seen once in our tests); off until that is settled.
     */
    public static final int DEFAULT_BRIDGE_FIND_POOL = 0;
    /**
     * The pool size to opt in with: each idle connection holds a shell and an open {@code find} fid
     * on the bridge host (the bridge script opens {@code find} when it accepts), so the pool is sized
     * by the finds the last change used and capped; 16 covers the selective plans the read rule
     * picks at 1,000 services (beyond a few filters it reads the index or a cover there) and most of
     * those at 10,000.
     */
    public static final int SUGGESTED_BRIDGE_FIND_POOL = 16;
    /** The largest {@link Builder#bridgeFindPool(int)} accepted. */
    public static final int MAX_BRIDGE_FIND_POOL = 256;
    /** The smallest msize a 9P client may ask for, in bytes. */
    public static final int MIN_MSIZE = 256;

    private final DialAddress address;
    private final String user;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration probeInterval;
    private final Duration probeDeadline;
    private final boolean tcpKeepAlive;
    private final boolean spareNewFid;
    private final int maxAnswerBytes;
    private final int msize;
    private final int bridgeFindPort;
    private final int bridgeEventPort;
    private final int bridgeFindPool;
    private final Vertx vertx;
    private final AuthSettings authentication;

    private ConnectorOptions(Builder b) {
        this.address = b.address;
        this.user = b.user;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.probeInterval = b.probeInterval;
        this.probeDeadline = b.probeDeadline;
        this.tcpKeepAlive = b.tcpKeepAlive;
        this.spareNewFid = b.spareNewFid;
        this.maxAnswerBytes = b.maxAnswerBytes;
        this.msize = b.msize;
        this.bridgeFindPort = b.bridgeFindPort > 0 ? b.bridgeFindPort : b.address.port() + 1;
        this.bridgeEventPort = b.bridgeEventPort > 0 ? b.bridgeEventPort : b.address.port() + 2;
        this.bridgeFindPool = b.bridgeFindPool;
        this.vertx = b.vertx;
        this.authentication = b.authentication;
    }

    /**
     * @return how the 9P connector authenticates (Inferno's {@code Keyring->auth}, then the record
     *     layer), or null (default) to speak plain 9P as to a {@code listen -A} registry
     */
    public AuthSettings authentication() {
        return authentication;
    }

    /**
     * @param address the registry: a dial string ({@code tcp!host!6675}) or {@code host:port}; for
     *     the line bridge, its {@code new} port
     * @return a builder with the defaults
     */
    public static Builder builder(String address) {
        return new Builder(DialAddress.parse(address));
    }

    /** @return the registry's address (for the bridge: its {@code new} port) */
    public DialAddress address() {
        return address;
    }

    /** @return the user name presented to the registry (9P {@code Tattach}) */
    public String user() {
        return user;
    }

    /** @return how long a TCP connect may take */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return how long one request may take */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** @return how long the connection may be silent before a liveness probe is sent */
    public Duration probeInterval() {
        return probeInterval;
    }

    /** @return how long a probe may take before the connection is declared dead */
    public Duration probeDeadline() {
        return probeDeadline;
    }

    /** @return whether TCP keepalive is set on connections */
    public boolean tcpKeepAlive() {
        return tcpKeepAlive;
    }

    /**
     * @return whether a 9P session that has registered keeps one fid opened on {@code new}, so
     *     that each later registration is one write (see {@link Builder#spareNewFid(boolean)})
     */
    public boolean spareNewFid() {
        return spareNewFid;
    }

    /** @return the largest find or index answer accepted, in bytes */
    public int maxAnswerBytes() {
        return maxAnswerBytes;
    }

    /** @return the 9P msize asked for */
    public int msize() {
        return msize;
    }

    /** @return the bridge's {@code new} port */
    public int bridgeNewPort() {
        return address.port();
    }

    /** @return the bridge's {@code find} port */
    public int bridgeFindPort() {
        return bridgeFindPort;
    }

    /** @return how many connections to the line bridge's {@code find} port a session keeps open in advance at most (0: none) */
    public int bridgeFindPool() {
        return bridgeFindPool;
    }

    /** @return the bridge's {@code event} port */
    public int bridgeEventPort() {
        return bridgeEventPort;
    }

    /** @return the Vert.x instance to run on, or null to let the connector create (and close) its own */
    public Vertx vertx() {
        return vertx;
    }

    /** Builds {@link ConnectorOptions}. Not thread-safe. */
    public static final class Builder {
        private final DialAddress address;
        private String user = System.getProperty("user.name", "none");
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
        private Duration probeDeadline = DEFAULT_PROBE_DEADLINE;
        private boolean tcpKeepAlive = true;
        private boolean spareNewFid = true;
        private int maxAnswerBytes = DEFAULT_MAX_ANSWER_BYTES;
        private int msize = DEFAULT_MSIZE;
        private int bridgeFindPort;
        private int bridgeEventPort;
        private int bridgeFindPool = DEFAULT_BRIDGE_FIND_POOL;
        private Vertx vertx;
        private AuthSettings authentication;

        private Builder(DialAddress address) {
            this.address = address;
        }

        /** @param name the user name presented to the registry @return this builder */
        public Builder user(String name) {
            this.user = Objects.requireNonNull(name, "user");
            return this;
        }

        /** @param timeout how long a TCP connect may take @return this builder */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        /** @param timeout how long one request may take @return this builder */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "request timeout");
            return this;
        }

        /**
         * @param interval silence after which a liveness probe is sent
         * @param deadline how long the probe may take before the connection is declared dead
         * @return this builder
         */
        public Builder probe(Duration interval, Duration deadline) {
            this.probeInterval = positive(interval, "probe interval");
            this.probeDeadline = positive(deadline, "probe deadline");
            return this;
        }

        /** @param on whether to set TCP keepalive @return this builder */
        public Builder tcpKeepAlive(boolean on) {
            this.tcpKeepAlive = on;
            return this;
        }

        /**
         * Whether a 9P session, once it has registered a service, keeps one spare fid walked to and
         * opened on {@code new} (default on; the line bridge ignores it). A registration then costs
         * one {@code Twrite} on the critical path on every registry, behind {@code export} too,
         * where walk, open and write otherwise take 3 round trips; the spare is replaced after each
         * registration, off the critical path. The registry sees an anonymous service that it
         * lists nowhere and announces to no one (opening {@code new} is not a change); off, no
         * session holds one, for registries that must not carry one anonymous slot per client.
         *
         * @param on whether to keep a spare fid on {@code new}
         * @return this builder
         */
        public Builder spareNewFid(boolean on) {
            this.spareNewFid = on;
            return this;
        }

        /** @param bytes the largest find or index answer accepted @return this builder */
        public Builder maxAnswerBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("max answer bytes " + bytes + " is below 1024");
            }
            this.maxAnswerBytes = bytes;
            return this;
        }

        /**
         * @param bytes the 9P msize to ask for (at least 256; default {@link #DEFAULT_MSIZE}, which
         *     every real registry accepts: above 65544 a registry behind {@code export} fails every Tstat)
         * @return this builder
         */
        public Builder msize(int bytes) {
            if (bytes < MIN_MSIZE) {
                throw new IllegalArgumentException("msize " + bytes + " is below " + MIN_MSIZE);
            }
            this.msize = bytes;
            return this;
        }

        /**
         * Sets the bridge's find and event ports explicitly (default: the address port +1 and +2).
         *
         * @param findPort the find port
         * @param eventPort the event port
         * @return this builder
         */
        public Builder bridgePorts(int findPort, int eventPort) {
            this.bridgeFindPort = findPort;
            this.bridgeEventPort = eventPort;
            return this;
        }

        /**
         * Sets how many connections to the line bridge's {@code find} port a session keeps open in
         * advance at most (default {@value ConnectorOptions#DEFAULT_BRIDGE_FIND_POOL}: none, each
         * find opens its own connection when it runs, as the Perl module does; see
         * {@link ConnectorOptions#DEFAULT_BRIDGE_FIND_POOL} for why, and
         * {@link ConnectorOptions#SUGGESTED_BRIDGE_FIND_POOL}).
         *
         * @param connections at most this many, 0 to {@value ConnectorOptions#MAX_BRIDGE_FIND_POOL}
         * @return this builder
         * @throws IllegalArgumentException naming the value and the range
         */
        public Builder bridgeFindPool(int connections) {
            if (connections < 0 || connections > MAX_BRIDGE_FIND_POOL) {
                throw new IllegalArgumentException("bridge find pool " + connections + " is not between 0 and "
                        + MAX_BRIDGE_FIND_POOL);
            }
            this.bridgeFindPool = connections;
            return this;
        }

        /** @param shared a Vert.x instance to run on, which the connector will not close @return this builder */
        public Builder vertx(Vertx shared) {
            this.vertx = shared;
            return this;
        }

        /**
         * Authenticates every connection with an Inferno key file, then runs 9P inside the record
         * layer of {@code algorithm} (only the 9P connector; the line bridge has no authentication).
         *
         * @param key the key file, e.g. from {@link KeyFiles#read}
         * @param algorithm what to ask the registry for, e.g. {@code sha1} (default, see
         *     {@link AuthSettings#DEFAULT_CLIENT_ALGORITHM}), {@code rc4_256 sha1}, {@code none}
         * @return this builder
         * @throws io.regmgr.runtime.auth.AuthException naming an algorithm word that is not supported
         */
        public Builder authentication(KeyFile key, String algorithm) {
            this.authentication = AuthSettings.client(key, algorithm == null ? AuthSettings.DEFAULT_CLIENT_ALGORITHM
                    : algorithm);
            return this;
        }

        /** @return the options */
        public ConnectorOptions build() {
            return new ConnectorOptions(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
