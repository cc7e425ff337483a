package io.regmgr.runtime.client;

import io.regmgr.Filter;
import io.regmgr.RegistryException;
import io.regmgr.ServiceEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Confirms a session's pending bridge registrations together: one find per round for every
 * registration waiting, with the attribute/value pairs they all share as its filter (the manager's
 * instance token when it stamps one; every service when they share none). A round's answer confirms
 * each registration it lists with exactly its attributes; those still waiting go in the next round,
 * at once if registrations arrived during the round, else after 1 ms if the round confirmed any
 * (the registry is working through the lines: a restore), else after 1, 2, 4, ... ms (at most
 * {@value #MAX_DELAY_MS} ms). So 100 registrations restored together cost a few finds, not 100.
 * Confined to the transport's context.
 */
final class BridgeConfirmations {
    /** The longest wait between two rounds for the same registrations. */
    static final long MAX_DELAY_MS = 64;

    private final BridgeRegistrySession session;
    private final BridgeTransport transport;
    private final Map<BridgeRegistration, ServiceEntry> waiting = new LinkedHashMap<>();
    /** Registrations added since the last round was sent: they go in the next one without delay. */
    private final Set<BridgeRegistration> fresh = new LinkedHashSet<>();
    private boolean running;
    private long timer = -1;
    private long delayMs = 1;

    BridgeConfirmations(BridgeRegistrySession session) {
        this.session = session;
        this.transport = session.transport();
    }

    /**
     * @param r a registration whose line was written
     * @param entry what a find must list to confirm it
     */
    void add(BridgeRegistration r, ServiceEntry entry) {
        waiting.put(r, entry);
        fresh.add(r);
        if (!running) {
            transport.cancelTimer(timer);
            round();
        }
    }

    /** @param r a registration confirmed or failed: no longer asked for */
    void remove(BridgeRegistration r) {
        waiting.remove(r);
        fresh.remove(r);
    }

    private void round() {
        timer = -1;
        if (waiting.isEmpty()) {
            delayMs = 1;
            return;
        }
        Map<BridgeRegistration, ServiceEntry> asked = new LinkedHashMap<>(waiting);
        fresh.clear();
        Duration timeout = transport.options().requestTimeout();
        BridgeQuery q;
        try {
            q = session.query(shared(asked.values()), timeout, "confirm " + asked.size() + " registration(s) of "
                    + asked.values().iterator().next().name() + (asked.size() > 1 ? " and others:" : ":"));
        } catch (RegistryException e) {
            asked.keySet().forEach(r -> r.confirmationFailed(e));
            return;
        }
        running = true;
        q.result().onComplete(ar -> {
            running = false;
            boolean progress = false;
            for (Map.Entry<BridgeRegistration, ServiceEntry> e : asked.entrySet()) {
                BridgeRegistration r = e.getKey();
                if (!waiting.containsKey(r)) {
                    continue;
                }
                if (ar.failed()) {
                    r.confirmationFailed(ar.cause());
                } else if (ar.result().contains(e.getValue())) {
                    r.confirmed();
                    progress = true;
                }
            }
            if (progress) {
                delayMs = 1;
            }
            next();
        });
    }

    private void next() {
        if (!fresh.isEmpty()) {
            round();
        } else if (!waiting.isEmpty()) {
            timer = transport.setTimer(Duration.ofMillis(delayMs), this::round);
            delayMs = Math.min(delayMs * 2, MAX_DELAY_MS);
        } else {
            delayMs = 1;
        }
    }

    /** @return the attribute/value pairs every entry has (none: every service) */
    static Filter shared(Iterable<ServiceEntry> entries) {
        Map<String, String> common = null;
        for (ServiceEntry e : entries) {
            if (common == null) {
                common = new LinkedHashMap<>(e.attributes().asMap());
            } else {
                Map<String, String> attrs = e.attributes().asMap();
                common.entrySet().removeIf(kv -> !kv.getValue().equals(attrs.get(kv.getKey())));
            }
        }
        List<String> words = new ArrayList<>();
        if (common != null) {
            common.forEach((attr, value) -> {
                words.add(attr);
                words.add(value);
            });
        }
        return Filter.of(words);
    }
}
