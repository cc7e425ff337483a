package io.regmgr.runtime.server;

import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import io.regmgr.runtime.protocol.StyxCodec;
import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rerror;
import io.regmgr.runtime.protocol.StyxMessage.Rread;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Tattach;
import io.regmgr.runtime.protocol.StyxMessage.Tclunk;
import io.regmgr.runtime.protocol.StyxMessage.Topen;
import io.regmgr.runtime.protocol.StyxMessage.Tread;
import io.regmgr.runtime.protocol.StyxMessage.Tversion;
import io.regmgr.runtime.protocol.StyxMessage.Twalk;
import io.regmgr.runtime.protocol.StyxMessage.Twrite;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A small blocking 9P2000 client for network tests: one socket to 127.0.0.1, one reply read per
 * request, no multiplexing beyond what the test does by hand with {@link #send} and {@link #receive}.
 *
 * <p>Every blocking call gives up after {@value #TIMEOUT_MILLIS} ms. I/O failures are thrown as
 * {@link UncheckedIOException}; a reply with the wrong tag as {@link IllegalStateException}. The
 * convenience methods return the reply as it came, {@link Rerror} included, so tests can assert on
 * failures; only {@link #readAll} throws on an {@code Rerror}. Tags come from a counter (1..65534,
 * wrapping); {@code Tversion} uses {@link StyxMessage#NOTAG}. Not thread-safe: one test thread per
 * client. {@link #close()} closes the socket.
 */
public final class StyxTestClient implements AutoCloseable {

    /** Connect and read timeout, in milliseconds. */
    public static final int TIMEOUT_MILLIS = 10_000;

    /** The message size used until {@link #version} negotiates another: a direct registry's 8216. */
    public static final int DEFAULT_MSIZE = 8216;

    private static final int SIZE_FIELD = 4;

    private final Socket socket;
    private final PushbackInputStream in;
    private final OutputStream out;
    private int lastTag;
    private int msize = DEFAULT_MSIZE;

    private StyxTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new PushbackInputStream(socket.getInputStream(), 1);
        this.out = socket.getOutputStream();
    }

    /**
     * @param port a TCP port on 127.0.0.1
     * @return a client connected to it, with read timeout {@value #TIMEOUT_MILLIS} ms
     * @throws UncheckedIOException if the connection fails
     */
    public static StyxTestClient connect(int port) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port),
                    TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            return new StyxTestClient(socket);
        } catch (IOException e) {
            closeQuietly(socket, e);
            throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    /**
     * @param socket connected (e.g. already authenticated with the {@code none} algorithm), read timeout set
     * @return a client speaking 9P over it
     */
    static StyxTestClient over(Socket socket) {
        try {
            return new StyxTestClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a fresh tag from the counter, 1..65534 */
    public int nextTag() {
        lastTag = lastTag % (StyxMessage.NOTAG - 1) + 1;
        return lastTag;
    }

    /** @return the message size: {@value #DEFAULT_MSIZE} until an {@code Rversion} set another */
    public int msize() {
        return msize;
    }

    /**
     * Sends {@code request} and reads one reply.
     *
     * @param request the T-message
     * @return the reply, possibly an {@link Rerror}
     * @throws IllegalStateException if the reply's tag is not the request's
     */
    public StyxMessage rpc(StyxMessage request) {
        send(request);
        StyxMessage reply = receive();
        if (reply.tag() != request.tag()) {
            throw new IllegalStateException("reply tag " + reply.tag() + " does not match request tag "
                    + request.tag() + ": " + reply);
        }
        return reply;
    }

    /** @param message the message to encode and send, without waiting for a reply */
    public void send(StyxMessage message) {
        sendRaw(StyxCodec.encode(message));
    }

    /** @param bytes sent as they are, e.g. garbage or a frame split by hand */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + bytes.length + " bytes", e);
        }
    }

    /**
     * Reads one whole frame and decodes it.
     *
     * @return the message
     * @throws UncheckedIOException on timeout, end of stream or another I/O failure
     * @throws LimitExceededException if the frame is larger than {@link #msize()}
     * @throws ProtocolViolationException if the frame is malformed
     */
    public StyxMessage receive() {
        try {
            DataInputStream data = new DataInputStream(in);
            byte[] frame = new byte[SIZE_FIELD];
            data.readFully(frame);
            long size = Integer.toUnsignedLong((frame[0] & 0xFF) | (frame[1] & 0xFF) << 8 | (frame[2] & 0xFF) << 16
                    | (frame[3] & 0xFF) << 24);
            if (size < StyxCodec.HEADER_SIZE) {
                throw new ProtocolViolationException("test client: declared size " + size + " is less than 7");
            }
            if (size > msize) {
                throw new LimitExceededException("9P message size", msize, size, "test client");
            }
            frame = Arrays.copyOf(frame, (int) size);
            data.readFully(frame, SIZE_FIELD, frame.length - SIZE_FIELD);
            return StyxCodec.decode(frame);
        } catch (EOFException e) {
            throw new UncheckedIOException("connection closed by the server while reading a reply", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a reply", e);
        }
    }

    /**
     * Waits up to {@value #TIMEOUT_MILLIS} ms for the server to close the connection. A byte that
     * arrives instead is kept for the next {@link #receive()}.
     *
     * @return true if the stream ended (or was reset), false if data came or nothing happened
     */
    public boolean isClosedByPeer() {
        try {
            int b = in.read();
            if (b == -1) {
                return true;
            }
            in.unread(b);
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // a reset counts as closed: the server dropped the connection
            return true;
        }
    }

    /**
     * Sends {@code Tversion(NOTAG, msize, "9P2000")}; an {@link Rversion} sets {@link #msize()}.
     *
     * @param requested the message size to ask for
     * @return the reply
     */
    public StyxMessage version(int requested) {
        StyxMessage reply = rpc(new Tversion(StyxMessage.NOTAG, requested, "9P2000"));
        if (reply instanceof Rversion r) {
            msize = r.msize();
        }
        return reply;
    }

    /**
     * @param fid the fid to bind to the root
     * @param uname the user name; no authentication ({@link StyxMessage#NOFID}), empty aname
     * @return the reply
     */
    public StyxMessage attach(int fid, String uname) {
        return rpc(new Tattach(nextTag(), fid, StyxMessage.NOFID, uname, ""));
    }

    /**
     * @param fid the starting fid
     * @param newfid the fid to bind
     * @param names the path elements
     * @return the reply
     */
    public StyxMessage walk(int fid, int newfid, String... names) {
        return rpc(new Twalk(nextTag(), fid, newfid, List.of(names)));
    }

    /**
     * @param fid the fid to open
     * @param mode the open mode, e.g. {@link StyxMessage#ORDWR}
     * @return the reply
     */
    public StyxMessage open(int fid, int mode) {
        return rpc(new Topen(nextTag(), fid, mode));
    }

    /**
     * Writes {@code text} as UTF-8 at offset 0, in one message.
     *
     * @param fid an open fid
     * @param text the text
     * @return the reply
     */
    public StyxMessage write(int fid, String text) {
        return rpc(new Twrite(nextTag(), fid, 0, text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Reads from offset 0 until an empty {@link Rread}. Not for files whose reads block (the
     * registry's {@code event}).
     *
     * @param fid an open fid
     * @return everything read, as UTF-8
     * @throws IllegalStateException if a read answers anything but {@link Rread}
     */
    public String readAll(int fid) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            StyxMessage reply = rpc(new Tread(nextTag(), fid, all.size(), msize - StyxCodec.IOHDRSZ));
            if (!(reply instanceof Rread r)) {
                throw new IllegalStateException("read of fid " + fid + " at offset " + all.size() + " failed: "
                        + reply);
            }
            if (r.data().length == 0) {
                return all.toString(StandardCharsets.UTF_8);
            }
            all.writeBytes(r.data());
        }
    }

    /**
     * @param fid the fid to clunk
     * @return the reply
     */
    public StyxMessage clunk(int fid) {
        return rpc(new Tclunk(nextTag(), fid));
    }

    /** Closes the socket; never throws. */
    @Override
    public void close() {
        closeQuietly(socket, null);
    }

    private static void closeQuietly(Socket socket, Exception primary) {
        try {
            socket.close();
        } catch (IOException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }
}
