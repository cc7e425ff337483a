package io.regmgr.runtime.cdi;

import io.regmgr.ChangeOrigin;
import io.regmgr.MonitorListener;
import io.regmgr.ServiceEntry;
import io.regmgr.cdi.ServiceAdded;
import io.regmgr.cdi.ServiceModified;
import io.regmgr.cdi.ServiceRemoved;

import java.time.Clock;

/** Turns one monitor's deltas into event records for the {@link EventSink}, in the monitor's order. */
final class MonitorEvents implements MonitorListener {
    private final String monitor;
    private final EventSink sink;
    private final Clock clock;

    MonitorEvents(String monitor, EventSink sink, Clock clock) {
        this.monitor = monitor;
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    public void added(ServiceEntry service, ChangeOrigin origin) {
        sink.serviceChanged(new ServiceAdded(monitor, service, origin, clock.instant()));
    }

    @Override
    public void modified(ServiceEntry before, ServiceEntry after, ChangeOrigin origin) {
        sink.serviceChanged(new ServiceModified(monitor, before, after, origin, clock.instant()));
    }

    @Override
    public void removed(ServiceEntry service, ChangeOrigin origin) {
        sink.serviceChanged(new ServiceRemoved(monitor, service, origin, clock.instant()));
    }
}
