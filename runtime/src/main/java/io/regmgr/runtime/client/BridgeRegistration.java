package io.regmgr.runtime.client;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.ProtocolViolationException;
import io.regmgr.RegistryConnectionException;
import io.regmgr.RegistryErrorException;
import io.regmgr.RegistryException;
import io.regmgr.RegistryTimeoutException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.protocol.RegistryLines;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One service registered over the line bridge: one TCP connection to its {@code new} port, open
 * for as long as the service is registered. The first line names the service, each later line
 * updates it, closing the connection unregisters it.
 *
 * <pre>
 *   client: name attr value ...\n     register (at most 8191 bytes with the newline)
 *   client: attr value ...\n          update, as often as needed (never an empty line)
 *   client: close                     unregister
 *   bridge: (never writes; closes the connection, with no reason, on any refusal)
 * </pre>
 *
 * <p><b>How a registration is confirmed.</b> The bridge never answers, so after writing the line
 * the client asks the {@code find} port until an answer lists a service with this name and exactly
 * these attributes: then the registry has applied it. The finds are shared by every registration of
 * the session waiting for confirmation ({@link BridgeConfirmations}: one find per round, with the
 * pairs they all share as its filter, repeated after 1, 2, 4, ... ms, at most
 * {@value BridgeConfirmations#MAX_DELAY_MS} ms apart). Meanwhile, if the bridge closes the connection, it refused
 * the line (duplicate name, invalid service) and the stage fails with a
 * {@link RegistryErrorException} whose {@code registryError()} is {@value #REFUSED}; if neither
 * happens within the request timeout, with a {@link RegistryTimeoutException}. A find that fails
 * (refused, too large an answer) fails the registration with its exception. The connection is
 * closed on every failure.
 *
 * <p><b>Limits of that design.</b> It cannot tell our service from an <em>identical</em> one
 * (same name, same attributes) that someone else, or an earlier persistent registration, already
 * holds: the bridge refuses our line as a duplicate, but a find made before the refusal's close
 * is seen (~3 ms on the real bridge) lists the other one and the stage succeeds. The close then
 * arrives and the registration is dropped at once ({@link RegistrationListener#dropped} with a
 * {@link RegistryErrorException}): the refusal is late, never lost. A duplicate name with other
 * attributes is always reported by the stage. A round's answer grows with the number of services
 * carrying the pairs the waiting registrations share (all of them when they share none) and is
 * bounded by {@link ConnectorOptions#maxAnswerBytes()}.
 *
 * <p><b>Updates</b> are not confirmed either: {@link #update} completes when the line is written,
 * and {@link #entry()} takes the changes then. If the bridge refuses an update it closes the
 * connection, and the registration is dropped: {@code dropped(RegistryErrorException)} when the
 * bridge still answers finds, {@code dropped(RegistryConnectionException)} when it does not (it
 * went away), or the session's own cause if the session ends first.
 *
 * <p>Thread-safe: methods may be called from any thread and hop onto the connector's context.
 */
final class BridgeRegistration implements Registration {
    /** What {@code registryError()} says when the bridge closes on a registration line. */
    static final String REFUSED = "refused by the line bridge (duplicate or invalid service)";
    /** What {@code registryError()} says when the bridge closes an established registration. */
    static final String CLOSED = "closed by the line bridge (an update refused, or the service removed)";
    /** The longest line the real bridge passes in one piece, newline included. */
    static final int MAX_LINE_BYTES = 8191;

    private static final System.Logger LOG = System.getLogger(BridgeRegistration.class.getName());

    private enum State { CONFIRMING, ACTIVE, UNREGISTERED, DROPPED }

    private final BridgeRegistrySession session;
    private final BridgeTransport transport;
    private final RegistrationListener listener;
    private final Promise<Registration> confirmed = Promise.promise();
    private final String name;
    private volatile ServiceEntry entry;
    private volatile State state = State.CONFIRMING;
    private NetSocket socket;
    private long deadlineTimer = -1;
    private boolean dropNotified;

    BridgeRegistration(BridgeRegistrySession session, ServiceEntry entry, RegistrationListener listener) {
        this.session = session;
        this.transport = session.transport();
        this.entry = entry;
        this.name = entry.name();
        this.listener = listener;
    }

    /**
     * Refuses, before anything is sent, what the bridge cannot carry whole.
     *
     * @return the registration line's bytes
     */
    static byte[] checkRegistration(ServiceEntry entry) {
        WireChecks.checkNoLineBreaks(entry.name(), entry.attributes());
        return WireChecks.checkFits(RegistryLines.formatLine(entry), MAX_LINE_BYTES,
                "registration line of " + entry.name() + " for the line bridge (newline included)");
    }

    private static byte[] checkUpdateLine(String name, Attributes changes) {
        WireChecks.checkNoLineBreaks(name, changes);
        return WireChecks.checkFits(RegistryLines.formatUpdate(changes) + "\n", MAX_LINE_BYTES,
                "update line of " + name + " for the line bridge (newline included)");
    }

    /** Connects, writes the line and confirms it; call on the context. */
    Future<Registration> start(byte[] line) {
        Duration timeout = transport.options().requestTimeout();
        deadlineTimer = transport.setTimer(timeout, () -> failConfirmation(new RegistryTimeoutException(
                request() + " (the service did not appear in a find)", timeout)));
        transport.connect(transport.newPort(), "new").onComplete(ar -> {
            if (ar.failed()) {
                failConfirmation(ar.cause());
            } else if (state != State.CONFIRMING) {
                ar.result().close();
            } else {
                attach(ar.result(), line);
            }
        });
        return confirmed.future();
    }

    private void attach(NetSocket s, byte[] line) {
        socket = s;
        s.handler(this::onData);
        s.closeHandler(v -> onClosed());
        s.exceptionHandler(e -> LOG.log(Level.DEBUG, () -> request() + ": " + e));
        s.write(Buffer.buffer(line)).onComplete(ar -> {
            if (ar.failed()) {
                failConfirmation(new RegistryConnectionException(transport.newPort().toString(),
                        request() + ": cannot send the line: " + ar.cause().getMessage(), ar.cause()));
            } else {
                poll();
            }
        });
    }

    private void poll() {
        if (state == State.CONFIRMING) {
            session.confirmations().add(this, entry);
        }
    }

    /** A confirmation round listed this registration's entry; on the context. */
    void confirmed() {
        if (state == State.CONFIRMING) {
            confirm();
        }
    }

    /** @param cause why a confirmation round failed; on the context */
    void confirmationFailed(Throwable cause) {
        failConfirmation(cause);
    }

    private void confirm() {
        state = State.ACTIVE;
        session.confirmations().remove(this);
        transport.cancelTimer(deadlineTimer);
        confirmed.complete(this);
    }

    private void failConfirmation(Throwable cause) {
        if (state != State.CONFIRMING) {
            return;
        }
        state = State.DROPPED;
        dropNotified = true;
        transport.cancelTimer(deadlineTimer);
        session.confirmations().remove(this);
        closeSocket();
        session.forget(this);
        confirmed.fail(cause);
    }

    // The bridge never writes on this port: bytes mean the peer is not the bridge.
    private void onData(Buffer data) {
        ProtocolViolationException e = new ProtocolViolationException("Unexpected " + data.length()
                + " byte(s) from the line bridge's new port " + transport.newPort() + " on the connection of "
                + name + " (the bridge never writes on that port)");
        if (state == State.CONFIRMING) {
            failConfirmation(e);
        } else if (state == State.ACTIVE) {
            state = State.DROPPED;
            closeSocket();
            notifyDropped(e);
        }
    }

    private void onClosed() {
        if (state == State.CONFIRMING) {
            failConfirmation(new RegistryErrorException(request(), REFUSED));
        } else if (state == State.ACTIVE) {
            state = State.DROPPED;
            explainClose();
        }
    }

    /**
     * The bridge closed an established registration: a refused update, or the bridge going away.
     * A find tells which (one shared by every registration closed meanwhile: a bridge going away
     * closes them all at once); if the session ends first, its cause is reported instead.
     */
    private void explainClose() {
        Future<List<ServiceEntry>> check;
        try {
            check = session.checkFindPort();
        } catch (RegistryException e) {
            return;
        }
        check.onComplete(ar -> notifyDropped(ar.succeeded()
                ? new RegistryErrorException("registration of " + name + " on the line bridge " + transport.newPort(), CLOSED)
                : new RegistryConnectionException(transport.newPort().toString(), "the line bridge closed the connection of "
                        + name + " and its find port does not answer: " + ar.cause().getMessage(), ar.cause())));
    }

    /** The session ended: close, fail the confirmation or tell the listener. On the context. */
    Future<Void> sessionEnded(RegistryException cause) {
        if (state == State.CONFIRMING) {
            failConfirmation(cause);
            return Future.succeededFuture();
        }
        Future<Void> closing = Future.succeededFuture();
        if (state == State.ACTIVE) {
            state = State.DROPPED;
            closing = closeSocket();
        }
        if (state == State.DROPPED) {
            notifyDropped(cause);
        }
        return closing;
    }

    private void notifyDropped(RegistryException cause) {
        if (dropNotified) {
            return;
        }
        dropNotified = true;
        session.forget(this);
        try {
            listener.dropped(cause);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "registration listener of " + name + " failed on dropped(" + cause + ")", e);
        }
    }

    /** @return the service as registered, with every update written so far merged in */
    @Override
    public ServiceEntry entry() {
        return entry;
    }

    /**
     * Writes one update line. Refused before sending, as a failed stage: no attributes
     * ({@link io.regmgr.InvalidEntryException}: an empty line would end the registration), CR or LF
     * in an attribute or value (same), a line of more than {@value #MAX_LINE_BYTES} bytes
     * ({@link io.regmgr.LimitExceededException}). Not confirmed by the bridge: completes once
     * written, and {@link #entry()} has the changes from then on.
     */
    @Override
    public CompletionStage<Void> update(Attributes changes) {
        Objects.requireNonNull(changes, "changes");
        byte[] line;
        try {
            line = checkUpdateLine(name, changes);
        } catch (RegistryException e) {
            return CompletableFuture.failedStage(e);
        }
        if (state != State.ACTIVE) {
            return CompletableFuture.failedStage(inactive("update"));
        }
        return transport.<Void>onContext(() -> {
            if (state != State.ACTIVE) {
                return Future.failedFuture(inactive("update"));
            }
            return socket.write(Buffer.buffer(line)).<Void>map(v -> {
                entry = new ServiceEntry(name, entry.attributes().with(changes));
                return null;
            }).recover(e -> Future.failedFuture(new RegistryConnectionException(transport.newPort().toString(),
                    "update of " + name + ": cannot send the line: " + e.getMessage(), e)));
        }).toCompletionStage();
    }

    /** Closes the connection, which makes the bridge unregister the service (unless persistent). Idempotent. */
    @Override
    public CompletionStage<Void> unregister() {
        if (state != State.ACTIVE) {
            return CompletableFuture.completedStage(null);
        }
        return transport.<Void>onContext(() -> {
            if (state != State.ACTIVE) {
                return Future.succeededFuture();
            }
            state = State.UNREGISTERED;
            session.forget(this);
            return closeSocket();
        }).toCompletionStage();
    }

    @Override
    public boolean isActive() {
        return state == State.ACTIVE;
    }

    private Future<Void> closeSocket() {
        if (socket == null) {
            return Future.succeededFuture();
        }
        return socket.close().recover(e -> Future.succeededFuture());
    }

    private RegistryConnectionException inactive(String what) {
        return new RegistryConnectionException(transport.newPort().toString(), what + " of " + name
                + ": the registration is no longer active (" + (state == State.UNREGISTERED ? "unregistered" : "dropped")
                + ")", null);
    }

    private String request() {
        return "register " + name + " on the line bridge " + transport.newPort();
    }

    @Override
    public String toString() {
        return "BridgeRegistration[" + name + ", " + state + "]";
    }
}
