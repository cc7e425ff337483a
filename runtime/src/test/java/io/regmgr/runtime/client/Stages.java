package io.regmgr.runtime.client;

import static org.assertj.core.api.Assertions.fail;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits on completion stages in tests, with a bound. */
final class Stages {
    static final long WAIT_SECONDS = 10;

    private Stages() {
    }

    /** @return an Awaitility wait of at most 5 s polling every 10 ms (the default 100 ms slows every test) */
    static ConditionFactory awaiting() {
        return Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10));
    }

    /** @return the stage's value; fails the test on failure or after {@value #WAIT_SECONDS} s */
    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("stage did not complete: " + e, e);
        }
    }

    /** @return why the stage failed; fails the test if it succeeded or took over {@value #WAIT_SECONDS} s */
    static Throwable failure(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            return fail("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return unwrap(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("stage did not complete: " + e, e);
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
