package io.regmgr.runtime.client;

import io.regmgr.Attributes;
import io.regmgr.RegistryErrorException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.RegistryLines;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.vertx.core.Future;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A service registered over 9P: the open fid of the {@code new} file that named it. Updates are
 * single writes on that fid; clunking it unregisters the service (unless {@code persist}).
 *
 * <p>Thread-safe: {@link #entry()} and {@link #isActive()} read volatile state; the other methods
 * hop onto the connection's context. An update of an inactive registration fails with
 * {@link IllegalStateException} naming why it is inactive, or with
 * {@link io.regmgr.RegistryConnectionException} once the session is closed.
 */
final class StyxRegistration implements Registration {
    /** The registry's answer to a write on a service that was removed behind the writer's back. */
    static final String REMOVED_BEHIND_OUR_BACK = RegistryErrorException.SERVICE_REMOVED;

    private static final System.Logger LOG = System.getLogger(StyxRegistration.class.getName());

    private final StyxRegistrySession session;
    private final StyxFiles files;
    private final int fid;
    private final int maxWrite;
    private final RegistrationListener listener;
    private final String name;
    private volatile ServiceEntry entry;
    private volatile boolean active = true;
    private String inactiveBecause;
    private Future<Void> unregistering;

    StyxRegistration(StyxRegistrySession session, int fid, ServiceEntry entry, int maxWrite,
            RegistrationListener listener) {
        this.session = session;
        this.files = session.files();
        this.fid = fid;
        this.entry = entry;
        this.name = entry.name();
        this.maxWrite = maxWrite;
        this.listener = listener;
    }

    @Override
    public ServiceEntry entry() {
        return entry;
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public CompletionStage<Void> update(Attributes changes) {
        Objects.requireNonNull(changes, "changes");
        return session.client().run(() -> session.whileOpen().compose(v -> doUpdate(changes)));
    }

    private Future<Void> doUpdate(Attributes changes) {
        String what = "update " + name + " on " + session.client().address();
        String text = RegistryLines.formatUpdate(changes);
        if (!active) {
            throw new IllegalStateException(what + ": the registration is no longer active (" + inactiveBecause + ")");
        }
        byte[] bytes = WireChecks.checkFits(text, maxWrite, what);
        return files.write(fid, bytes, what)
                .onSuccess(v -> entry = new ServiceEntry(name, entry.attributes().with(changes)))
                .recover(e -> {
                    if (e instanceof RegistryErrorException r && REMOVED_BEHIND_OUR_BACK.equals(r.registryError())) {
                        dropped(r, true);
                    }
                    return Future.failedFuture(e);
                });
    }

    @Override
    public CompletionStage<Void> unregister() {
        return session.client().run(() -> {
            if (unregistering == null) {
                unregistering = doUnregister();
            }
            return unregistering;
        });
    }

    private Future<Void> doUnregister() {
        if (!active) {
            return Future.succeededFuture();
        }
        deactivate("unregistered");
        StyxClient client = session.client();
        return files.clunk(fid, "unregister " + name + " on " + client.address())
                // a connection that ended took the service with it
                .recover(e -> client.isOpen() ? Future.failedFuture(e) : Future.succeededFuture());
    }

    /**
     * The registry dropped the service (or the session ended).
     *
     * @param cause what to tell the listener
     * @param clunk whether the fid is still bound and must be given back
     */
    void dropped(Throwable cause, boolean clunk) {
        if (!active) {
            return;
        }
        deactivate("dropped: " + cause.getMessage());
        if (clunk) {
            files.clunk(fid, "release the fid of dropped " + name);
        }
        try {
            listener.dropped(cause);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "registration listener of " + name + " failed", e);
        }
    }

    private void deactivate(String because) {
        active = false;
        inactiveBecause = because;
        session.forget(this);
    }

    @Override
    public String toString() {
        return "9P registration of " + name + (active ? "" : " (" + inactiveBecause + ")");
    }
}
