package io.regmgr.runtime.client;

import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.SessionListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a session (and its registrations) report; readable from the test thread. */
final class RecordingListener implements SessionListener {
    final List<Long> versions = new CopyOnWriteArrayList<>();
    /** One entry per {@code closed} call; a client close is recorded as the string "null". */
    final List<Object> closes = new CopyOnWriteArrayList<>();
    /** One entry per {@code dropped} call of any registration made with {@link #registration()}. */
    final List<Throwable> drops = new CopyOnWriteArrayList<>();

    @Override
    public void changed(long version) {
        versions.add(version);
    }

    @Override
    public void closed(Throwable cause) {
        closes.add(cause == null ? "null" : cause);
    }

    /** @return a registration listener recording into {@link #drops} */
    RegistrationListener registration() {
        return drops::add;
    }

    long lastVersion() {
        return versions.isEmpty() ? -1 : versions.get(versions.size() - 1);
    }

    /** @return the single cause closed() was called with ("null" for a client close); fails if not exactly once */
    Object closedOnce() {
        if (closes.size() != 1) {
            throw new AssertionError("closed() called " + closes.size() + " times: " + closes);
        }
        return closes.get(0);
    }
}
