package io.regmgr.runtime.core;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Tells a restarted registry from the one seen before, across sessions. The registry keeps its
 * event version in memory only, so after a restart it counts again from 0; over 9P the root's
 * {@code mtime} is its start time. A restart is: the start time changed, or the version went
 * backwards (at the session's start when the transport reports it, else at its first event).
 * A registry restarted and changed more often than before, reached without a start time (the line
 * bridge), cannot be told: the monitors' resync is right either way.
 *
 * <p>Confined to the manager's context.
 */
final class RestartDetector {
    private Instant lastStartTime;
    private long lastVersion = -1;

    /**
     * A session opened.
     *
     * @param initialVersion the registry's version now, if the transport can tell
     * @param startTime when the registry started, if the transport can tell
     * @return whether the registry restarted since the previous session
     */
    boolean sessionOpened(OptionalLong initialVersion, Optional<Instant> startTime) {
        boolean restarted = false;
        if (startTime.isPresent()) {
            restarted = lastStartTime != null && !lastStartTime.equals(startTime.get());
            lastStartTime = startTime.get();
        }
        if (initialVersion.isPresent()) {
            restarted |= wentBackwards(initialVersion.getAsLong());
            lastVersion = initialVersion.getAsLong();
        }
        return restarted;
    }

    /**
     * The registry announced a change.
     *
     * @param version its version after the change
     * @return whether that version went backwards: a restart, found by the event
     */
    boolean versionSeen(long version) {
        boolean backwards = wentBackwards(version);
        lastVersion = version;
        return backwards;
    }

    private boolean wentBackwards(long version) {
        return lastVersion >= 0 && version < lastVersion;
    }
}
