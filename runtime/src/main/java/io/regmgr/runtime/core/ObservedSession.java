package io.regmgr.runtime.core;

import io.regmgr.Filter;
import io.regmgr.RegistryErrorException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.ReadAnswer;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * A session whose answers count as contact with the registry ({@link StatusTracker#touch}): a
 * result, or a refusal in the registry's own words; its reads ({@code index}, {@code find}) are
 * told to the manager's {@link ManagerObserver}, with the answer's bytes where the transport
 * tells them ({@link ReadAnswer}). Delegates everything else. Thread-safe.
 */
final class ObservedSession implements RegistrySession {
    private final RegistrySession delegate;
    private final StatusTracker status;
    private final ManagerObserver observer;

    ObservedSession(RegistrySession delegate, StatusTracker status, ManagerObserver observer) {
        this.delegate = delegate;
        this.status = status;
        this.observer = observer;
    }

    @Override
    public CompletionStage<Registration> register(ServiceEntry entry, RegistrationListener listener) {
        return observe(delegate.register(entry, listener));
    }

    @Override
    public CompletionStage<List<ServiceEntry>> find(Filter filter) {
        return observe(timed("find", System.nanoTime(), delegate.find(filter)));
    }

    @Override
    public int requestsPerRead() {
        return delegate.requestsPerRead();
    }

    @Override
    public CompletionStage<List<ServiceEntry>> index() {
        return observe(timed("index", System.nanoTime(), delegate.index()));
    }

    @Override
    public CompletionStage<Void> remove(String serviceName) {
        return observe(delegate.remove(serviceName));
    }

    @Override
    public boolean canRemove() {
        return delegate.canRemove();
    }

    @Override
    public OptionalLong initialVersion() {
        return delegate.initialVersion();
    }

    @Override
    public Optional<Instant> registryStartTime() {
        return delegate.registryStartTime();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public CompletionStage<Void> close() {
        return delegate.close();
    }

    private <T> CompletionStage<T> observe(CompletionStage<T> stage) {
        return stage.whenComplete((value, failure) -> {
            if (failure == null || Hop.unwrap(failure) instanceof RegistryErrorException) {
                status.touch();
            }
        });
    }

    private CompletionStage<List<ServiceEntry>> timed(String kind, long start, CompletionStage<List<ServiceEntry>> read) {
        if (observer == ManagerObserver.NONE) {
            return read; // no metrics: not even a stage more
        }
        return read.whenComplete((list, failure) -> observer.read(kind, System.nanoTime() - start,
                list == null ? 0 : list.size(), ReadAnswer.bytesOf(list), failure != null));
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
