package io.regmgr.runtime.core;

import io.regmgr.ChangeOrigin;
import io.regmgr.MonitorListener;
import io.regmgr.ServiceEntry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records a monitor's deltas, in order, with the thread each arrived on. Thread-safe. */
class RecordingListener implements MonitorListener {
    /** One delta: kind is added, modified or removed; entry is the service after (or as last seen). */
    record Delta(String kind, ServiceEntry before, ServiceEntry entry, ChangeOrigin origin, String thread) {
        String name() {
            return entry.name();
        }

        @Override
        public String toString() {
            return kind + " " + entry.name() + " " + origin;
        }
    }

    final List<Delta> deltas = new CopyOnWriteArrayList<>();

    @Override
    public void added(ServiceEntry service, ChangeOrigin origin) {
        deltas.add(new Delta("added", null, service, origin, Thread.currentThread().getName()));
    }

    @Override
    public void modified(ServiceEntry before, ServiceEntry after, ChangeOrigin origin) {
        deltas.add(new Delta("modified", before, after, origin, Thread.currentThread().getName()));
    }

    @Override
    public void removed(ServiceEntry service, ChangeOrigin origin) {
        deltas.add(new Delta("removed", null, service, origin, Thread.currentThread().getName()));
    }

    /** @return the deltas applied in order to an empty map */
    Map<String, ServiceEntry> replay() {
        Map<String, ServiceEntry> view = new HashMap<>();
        for (Delta d : deltas) {
            if (d.kind().equals("removed")) {
                view.remove(d.name());
            } else {
                view.put(d.name(), d.entry());
            }
        }
        return view;
    }

    /** @return the deltas of one origin, as "kind name" strings */
    List<String> of(ChangeOrigin origin) {
        return deltas.stream().filter(d -> d.origin() == origin).map(d -> d.kind() + " " + d.name()).toList();
    }

    /** @return every delta as "kind name origin" strings */
    List<String> all() {
        return deltas.stream().map(Delta::toString).toList();
    }
}
