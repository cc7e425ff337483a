package io.regmgr.runtime.core;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryErrorException;
import io.regmgr.ServiceEntry;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistryConnector;
import io.regmgr.spi.RegistrySession;
import io.regmgr.spi.SessionListener;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An in-memory registry and connector for unit tests of the manager, without a transport: the
 * registry(4) semantics the manager relies on (names, duplicate refusal, versions, events,
 * registrations dropped with their session) plus faults on demand. Results and events are
 * delivered on one "transport" thread, as a real connector's would be. Thread-safe (locks: test code).
 */
final class FakeRegistry implements AutoCloseable {
    private final ExecutorService transport = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-transport"));
    private final Map<String, Held> services = new LinkedHashMap<>();
    private final List<Session> sessions = new ArrayList<>();
    final AtomicInteger indexReads = new AtomicInteger();
    final AtomicInteger findReads = new AtomicInteger();
    final AtomicInteger connects = new AtomicInteger();
    private final List<Runnable> deferredIndexReads = new ArrayList<>();
    private boolean deferIndexReads;
    private boolean up = true;
    private boolean reportVersion = true;
    private long version;
    private Instant startTime = Instant.ofEpochSecond(1_000);

    private record Held(ServiceEntry entry, Session owner) {
    }

    /** @param on whether sessions report the initial version and start time (9P does, the bridge does not) */
    synchronized void reportVersion(boolean on) {
        reportVersion = on;
    }

    RegistryConnector connector() {
        return new RegistryConnector() {
            @Override
            public CompletionStage<RegistrySession> connect(SessionListener listener) {
                return async(() -> open(listener));
            }

            @Override
            public String describe() {
                return "fake registry";
            }

            @Override
            public void close() {
            }
        };
    }

    /** A registry restart: every session is cut, dynamic services are forgotten, the version restarts. */
    synchronized void restart() {
        cut(true);
        services.clear();
        version = 0;
        startTime = startTime.plusSeconds(1);
    }

    /** @param on whether index reads wait for {@link #releaseIndexReads()} (a slow registry) */
    synchronized void deferIndexReads(boolean on) {
        deferIndexReads = on;
    }

    /** Answers the index reads held back so far, with the registry as it is now. */
    void releaseIndexReads() {
        List<Runnable> due;
        synchronized (this) {
            due = List.copyOf(deferredIndexReads);
            deferredIndexReads.clear();
        }
        due.forEach(transport::execute);
    }

    /** @param reachable whether connects succeed */
    synchronized void reachable(boolean reachable) {
        up = reachable;
    }

    /**
     * Cuts every session.
     *
     * @param noticed whether the registry notices (drops their services) or keeps them as stale entries
     */
    synchronized void cut(boolean noticed) {
        for (Session s : List.copyOf(sessions)) {
            s.end(new RegistryConnectionException("fake", "connection cut", null), noticed);
        }
    }

    /** The registry notices the dead connections now: their stale services go. */
    synchronized void reap() {
        boolean changed = services.values().removeIf(h -> !h.owner().open);
        if (changed) {
            bump();
        }
    }

    /** Another client registers (owned by nobody: it stays until removed). */
    synchronized void put(ServiceEntry entry) {
        services.put(entry.name(), new Held(entry, null));
        bump();
    }

    synchronized void delete(String name) {
        if (services.remove(name) != null) {
            bump();
        }
    }

    synchronized List<ServiceEntry> entries() {
        List<ServiceEntry> list = new ArrayList<>();
        services.values().forEach(h -> list.add(h.entry()));
        return list;
    }

    synchronized int openSessions() {
        return sessions.size();
    }

    private synchronized RegistrySession open(SessionListener listener) {
        connects.incrementAndGet();
        if (!up) {
            throw new RegistryConnectionException("fake", "connection refused", null);
        }
        Session s = new Session(listener, version, startTime);
        sessions.add(s);
        return s;
    }

    private void bump() {
        long v = ++version;
        for (Session s : sessions) {
            transport.execute(() -> s.listener.changed(v));
        }
    }

    private <T> CompletionStage<T> async(Supplier<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        transport.execute(() -> {
            try {
                f.complete(call.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Override
    public void close() {
        synchronized (this) {
            cut(true);
        }
        transport.shutdown();
    }

    private final class Session implements RegistrySession {
        final SessionListener listener;
        final long initialVersion;
        final Instant started;
        final List<Reg> registrations = new ArrayList<>();
        boolean open = true;

        Session(SessionListener listener, long initialVersion, Instant started) {
            this.listener = listener;
            this.initialVersion = initialVersion;
            this.started = started;
        }

        void end(Throwable cause, boolean noticed) {
            synchronized (FakeRegistry.this) {
                if (!open) {
                    return;
                }
                open = false;
                sessions.remove(this);
                for (Reg r : List.copyOf(registrations)) {
                    r.active = false;
                    if (noticed && services.get(r.name) != null && services.get(r.name).owner() == this) {
                        services.remove(r.name);
                        bump();
                    }
                    transport.execute(() -> r.listener.dropped(cause));
                }
                transport.execute(() -> listener.closed(cause));
            }
        }

        private void live() {
            if (!open) {
                throw new RegistryConnectionException("fake", "session closed", null);
            }
        }

        @Override
        public CompletionStage<Registration> register(ServiceEntry entry, RegistrationListener l) {
            return async(() -> {
                synchronized (FakeRegistry.this) {
                    live();
                    if (services.containsKey(entry.name())) {
                        throw new RegistryErrorException("register " + entry.name(), RegistryErrorException.DUPLICATE_SERVICE_NAME);
                    }
                    services.put(entry.name(), new Held(entry, this));
                    Reg r = new Reg(this, entry.name(), l);
                    registrations.add(r);
                    bump();
                    return r;
                }
            });
        }

        @Override
        public CompletionStage<List<ServiceEntry>> find(Filter filter) {
            return async(() -> {
                synchronized (FakeRegistry.this) {
                    live();
                    findReads.incrementAndGet();
                    return entries().stream().filter(e -> filter.matches(e.attributes())).toList();
                }
            });
        }

        @Override
        public CompletionStage<List<ServiceEntry>> index() {
            synchronized (FakeRegistry.this) {
                indexReads.incrementAndGet();
                if (deferIndexReads) {
                    CompletableFuture<List<ServiceEntry>> later = new CompletableFuture<>();
                    deferredIndexReads.add(() -> later.complete(entries()));
                    return later;
                }
            }
            return async(() -> {
                synchronized (FakeRegistry.this) {
                    live();
                    return entries();
                }
            });
        }

        @Override
        public CompletionStage<Void> remove(String serviceName) {
            return async(() -> {
                synchronized (FakeRegistry.this) {
                    live();
                    if (services.remove(serviceName) == null) {
                        throw new RegistryErrorException("remove " + serviceName, "file does not exist");
                    }
                    bump();
                    return null;
                }
            });
        }

        @Override
        public boolean canRemove() {
            return true;
        }

        @Override
        public OptionalLong initialVersion() {
            return reportVersion ? OptionalLong.of(initialVersion) : OptionalLong.empty();
        }

        @Override
        public Optional<Instant> registryStartTime() {
            return reportVersion ? Optional.of(started) : Optional.empty();
        }

        @Override
        public boolean isOpen() {
            synchronized (FakeRegistry.this) {
                return open;
            }
        }

        @Override
        public CompletionStage<Void> close() {
            end(null, true);
            return CompletableFuture.completedFuture(null);
        }
    }

    private final class Reg implements Registration {
        final Session session;
        final String name;
        final RegistrationListener listener;
        boolean active = true;

        Reg(Session session, String name, RegistrationListener listener) {
            this.session = session;
            this.name = name;
            this.listener = listener;
        }

        @Override
        public ServiceEntry entry() {
            synchronized (FakeRegistry.this) {
                Held h = services.get(name);
                return h == null ? null : h.entry();
            }
        }

        @Override
        public CompletionStage<Void> update(Attributes changes) {
            return async(() -> {
                synchronized (FakeRegistry.this) {
                    Held h = services.get(name);
                    if (!active || h == null || h.owner() != session) {
                        throw new RegistryErrorException("update " + name, "buggy program!");
                    }
                    services.put(name, new Held(new ServiceEntry(name, h.entry().attributes().with(changes)), session));
                    bump();
                    return null;
                }
            });
        }

        @Override
        public CompletionStage<Void> unregister() {
            return async(() -> {
                synchronized (FakeRegistry.this) {
                    if (active) {
                        active = false;
                        session.registrations.remove(this);
                        Held h = services.get(name);
                        if (h != null && h.owner() == session) {
                            services.remove(name);
                            bump();
                        }
                    }
                    return null;
                }
            });
        }

        @Override
        public boolean isActive() {
            synchronized (FakeRegistry.this) {
                return active;
            }
        }
    }
}
