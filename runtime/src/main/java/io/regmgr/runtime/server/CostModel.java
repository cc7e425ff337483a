package io.regmgr.runtime.server;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A <em>simulation</em> of what a request costs on a real Inferno registry, for benchmarks: the
 * embedded registry itself is far faster than a real one, which hides the cost of reading the whole
 * index on every change. With a cost model, the embedded registry serves one request at a time (as
 * the real one does: concurrent clients queue behind each other), each for its simulated service
 * time: {@link #perRequest()} for the request plus {@link #perLine()} for each service line it
 * formatted (an {@code index} read at offset 0 formats every service, a {@code find} read at offset
 * 0 the matching ones); its replies then leave after {@link #replyLatency()} more, which does not
 * hold up the next request (the real registry's round trip is mostly such latency: a lone request
 * takes 1.3 ms, yet 20 registrations pipelined after a restart were back in 18 ms). The line bridge
 * is charged as the bridge script uses the registry: a find connection costs
 * {@link #BRIDGE_FIND_REQUESTS} requests plus its lines, {@link #BRIDGE_FIND_OPEN_REQUESTS} (walk,
 * open) when the bridge accepts the connection and {@link #BRIDGE_FIND_ANSWER_REQUESTS} (the
 * filter's write, the read at offset 0, the read to the end) when the filter arrives, its answer
 * leaving after {@link #bridgeFindLatency()} more; a registration or update line one request, a
 * {@code new} connection {@link #BRIDGE_OPEN_REQUESTS}, each event line one.
 *
 * <p>The split of a find connection follows the bridge script the Perl module documents
 * ({@code listen -A tcp!127.0.0.1!6702 {... <>[3]/mnt/registry/find &}}): the redirection opens
 * {@code find} when the connection is accepted, before any filter arrives. How the real bridge's
 * about 7 ms divide between the accept and the filter is not observed: all of
 * {@link #bridgeFindLatency()} is charged after the filter, the assumption least favourable to a
 * client that opens find connections before a change.
 *
 * <p>Nothing is slept on the registry's thread: replies are scheduled. The state change of a request
 * happens when its turn comes, its replies (and any event replies it causes) leave when its
 * service time ends. Immutable and thread-safe.
 *
 * @param perRequest the service time of any request (requests are served one at a time), at least zero
 * @param perLine the service time of each service line formatted, at least zero
 * @param replyLatency how long after its service a 9P reply or a bridge event line leaves (not
 *     holding up other requests), at least zero
 * @param bridgeFindLatency the same for the answer of a bridge find connection (the bridge's own
 *     work: a new connection, a shell per connection), at least zero
 */
public record CostModel(Duration perRequest, Duration perLine, Duration replyLatency, Duration bridgeFindLatency) {
    /** Requests a bridge find connection costs the registry when accepted: walk and open {@code find}. */
    public static final int BRIDGE_FIND_OPEN_REQUESTS = 2;
    /** Requests a bridge find connection costs when its filter arrives: write it, read at offset 0, read to the end. */
    public static final int BRIDGE_FIND_ANSWER_REQUESTS = 3;
    /** Requests a bridge find connection costs the registry in all: {@link #BRIDGE_FIND_OPEN_REQUESTS} + {@link #BRIDGE_FIND_ANSWER_REQUESTS}. */
    public static final int BRIDGE_FIND_REQUESTS = BRIDGE_FIND_OPEN_REQUESTS + BRIDGE_FIND_ANSWER_REQUESTS;
    /** Requests the bridge spends opening {@code new} for a registration connection: walk and open. */
    public static final int BRIDGE_OPEN_REQUESTS = 2;

    /** No cost: requests are served as fast as the embedded registry can (the default). */
    public static final CostModel NONE = new CostModel(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /**
     * A real registry as observed in {@code registry-protocol.md} ("Cost model of the real
     * registry": hosted Inferno, 2 cores, loopback) and in issue 11's restore figures: a lone
     * request's round trip 1.3 ms (a find on an open fid matching nothing, read from offset 0) =
     * 0.25 ms of service + 1.05 ms of reply latency, where 0.25 ms is what 20 registrations (60
     * requests) restored in 18 ms allow; 5.7 us per line formatted ((7.0 - 1.3) ms for the same
     * find matching 1,000 services); a bridge find about 7 ms = 5 requests + 5.5 ms latency (2 of the
     * requests at the accept, the 3 others and all of the latency after the filter: see above).
     */
    public static final CostModel INFERNO = new CostModel(Duration.ofNanos(250_000), Duration.ofNanos(5_700),
            Duration.ofNanos(1_050_000), Duration.ofNanos(5_500_000));

    /**
     * @throws IllegalArgumentException if a duration is negative
     */
    public CostModel {
        Objects.requireNonNull(perRequest, "perRequest");
        Objects.requireNonNull(perLine, "perLine");
        Objects.requireNonNull(replyLatency, "replyLatency");
        Objects.requireNonNull(bridgeFindLatency, "bridgeFindLatency");
        if (perRequest.isNegative() || perLine.isNegative() || replyLatency.isNegative() || bridgeFindLatency.isNegative()) {
            throw new IllegalArgumentException("cost model " + this + ": durations must not be negative");
        }
    }

    /** @return whether requests cost anything (otherwise they are served at once, concurrently with nothing) */
    public boolean simulates() {
        return !perRequest.isZero() || !perLine.isZero() || !replyLatency.isZero() || !bridgeFindLatency.isZero();
    }

    /**
     * @param requests requests charged
     * @param lines service lines formatted
     * @return their simulated service time in nanoseconds (latency not included)
     */
    public long nanos(long requests, long lines) {
        return requests * perRequest.toNanos() + lines * perLine.toNanos();
    }

    /**
     * @param name {@code off} ({@link #NONE}) or {@code inferno} ({@link #INFERNO}), any case
     * @return the model
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static CostModel parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "off":
                return NONE;
            case "inferno":
                return INFERNO;
            default:
                throw new IllegalArgumentException("cost model '" + name + "' is not one of off, inferno");
        }
    }
}
