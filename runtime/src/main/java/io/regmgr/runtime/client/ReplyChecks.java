package io.regmgr.runtime.client;

import io.regmgr.ProtocolViolationException;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Rwrite;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tversion;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;

/**
 * What a 9P2000 client accepts from a server beyond what the codec checks: a reply that answers
 * its request in type and size. Every refusal is a {@link ProtocolViolationException} naming the
 * server, the message and the rule; the connection must then be closed. Stateless.
 */
final class ReplyChecks {
    /** The smallest msize this client works with: a registry line must fit in a message. */
    static final int MIN_MSIZE = 256;
    /** The only version this client speaks. */
    static final String VERSION = "9P2000";

    private ReplyChecks() {
    }

    /** A server sends only R-messages (odd type numbers). */
    static void checkIsReply(StyxMessage m, String address) {
        if ((m.type() & 1) == 0) {
            throw new ProtocolViolationException("9P from " + address + ": the server sent " + name(m) + " (tag "
                    + m.tag() + "), a T-message that only a client may send");
        }
    }

    /** No request in flight holds the reply's tag. */
    static ProtocolViolationException unknownTag(StyxMessage m, String address) {
        return new ProtocolViolationException("9P from " + address + ": " + name(m) + " carries tag " + m.tag()
                + ", which no request in flight holds");
    }

    /**
     * @param request the T-message in flight with the reply's tag
     * @param reply its answer
     * @param address the server, for the message
     */
    static void checkAnswers(StyxMessage request, StyxMessage reply, String address) {
        if (reply instanceof Rerror) {
            return;
        }
        if (reply.type() != request.type() + 1) {
            throw violation(address, reply, "answers " + name(request) + " (tag " + request.tag()
                    + "), which only an R" + name(request).substring(1) + " or an Rerror may answer");
        }
        if (request instanceof Tread r && reply instanceof Rread d
                && Integer.toUnsignedLong(d.data().length) > Integer.toUnsignedLong(r.count())) {
            throw violation(address, reply, "carries " + d.data().length + " bytes, more than the count of "
                    + Integer.toUnsignedLong(r.count()) + " asked by its Tread");
        }
        if (request instanceof Twalk w && reply instanceof Rwalk q
                && (q.qids().size() > w.names().size() || q.qids().isEmpty() && !w.names().isEmpty())) {
            throw violation(address, reply, "carries " + q.qids().size() + " qids for a Twalk of "
                    + w.names().size() + " names (one per name walked, at least one, or else Rerror)");
        }
        // a shorter count is a write applied partially: the caller's failure, not the connection's
        if (request instanceof Twrite w && reply instanceof Rwrite c
                && Integer.toUnsignedLong(c.count()) > w.data().length) {
            throw violation(address, reply, "counts " + Integer.toUnsignedLong(c.count()) + " bytes for a Twrite of "
                    + w.data().length + " (at most the bytes written)");
        }
        if (request instanceof Tversion v && reply instanceof Rversion r) {
            checkVersion(v, r, address);
        }
    }

    private static void checkVersion(Tversion asked, Rversion answer, String address) {
        if (!VERSION.equals(answer.version())) {
            throw violation(address, answer, "names version '" + answer.version() + "': the server does not speak "
                    + VERSION);
        }
        long msize = Integer.toUnsignedLong(answer.msize());
        if (msize > asked.msize() || msize < MIN_MSIZE) {
            throw violation(address, answer, "offers msize " + msize + ", outside " + MIN_MSIZE + ".." + asked.msize()
                    + " (at most the msize asked)");
        }
    }

    private static ProtocolViolationException violation(String address, StyxMessage reply, String rule) {
        return new ProtocolViolationException("9P from " + address + ": " + name(reply) + " (tag " + reply.tag()
                + ") " + rule);
    }

    static String name(StyxMessage m) {
        return m.getClass().getSimpleName();
    }
}
