package io.regmgr.runtime.client;

import static io.regmgr.runtime.client.Stages.awaiting;
import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Checks that an operation sends its requests in one round trip, through a {@link HoldingProxy}:
 * the registry's answers are held while the operation starts, so a request sent only after an
 * answer can never reach the registry; the check waits for the expected requests to arrive, checks
 * that nothing else did, then releases the answers. The session's event reads (re-armed after each
 * change, at a time of their own) are left out of every list.
 */
final class HeldRequests {
    private final HoldingProxy proxy;

    HeldRequests(HoldingProxy proxy) {
        this.proxy = proxy;
    }

    /** The requests an operation sent while the answers were held, and its stage, done. */
    record Burst<T>(CompletionStage<T> stage, List<StyxMessage> sent) {
        <M extends StyxMessage> M get(int i, Class<M> type) {
            return type.cast(sent.get(i));
        }
    }

    /**
     * Starts {@code operation} with the registry's answers held until {@code expected} requests
     * (their simple class names) have reached it, then releases them and waits until it is done.
     *
     * @return the operation's stage, done, and the requests it sent while held
     */
    <T> Burst<T> inOneRoundTrip(Supplier<CompletionStage<T>> operation, String... expected) {
        return inOneRoundTrip(operation, () -> { }, expected);
    }

    /**
     * As {@link #inOneRoundTrip(Supplier, String...)}, running {@code whileHeld} once the expected
     * requests arrived, before the answers are released (to read the registry's counters then).
     */
    <T> Burst<T> inOneRoundTrip(Supplier<CompletionStage<T>> operation, Runnable whileHeld, String... expected) {
        int before = proxy.sent().size();
        proxy.hold();
        CompletionStage<T> stage = operation.get();
        try {
            awaiting().untilAsserted(() -> assertThat(sentSince(before)).extracting(m -> m.getClass().getSimpleName())
                    .as("requests that reached the registry before any answer (a request sent after an answer"
                            + " never arrives while answers are held)").containsExactly(expected));
            assertThat(stage.toCompletableFuture().isDone()).as("done before any answer").isFalse();
            whileHeld.run();
        } finally {
            proxy.release();
        }
        // answers still on their way when released pass too; a later hold() must not catch them
        awaiting().until(() -> stage.toCompletableFuture().isDone());
        return new Burst<>(stage, sentSince(before).subList(0, expected.length));
    }

    /** @return what the client sent from index {@code from} on, but its event reads */
    List<StyxMessage> sentSince(int from) {
        List<StyxMessage> all = proxy.sent();
        int eventFid = all.stream().filter(m -> m instanceof Twalk w && w.names().equals(List.of("event")))
                .mapToInt(m -> ((Twalk) m).newfid()).findFirst().orElseThrow();
        return all.subList(from, all.size()).stream().filter(m -> !(m instanceof Tread r && r.fid() == eventFid))
                .toList();
    }
}
