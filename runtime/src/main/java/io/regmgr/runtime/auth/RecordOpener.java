package io.regmgr.runtime.auth;

import java.io.ByteArrayOutputStream;

/**
 * Reads devssl records from bytes arriving in any pieces: checks each record's MAC with the
 * incoming counter, decrypts, drops the padding and returns the data. Bounded: a record body is
 * at most 32767 bytes by its header; a padded DES body must be a multiple of 8 and its pad no
 * larger than its body (a real Inferno crashes on the former: this reader fails the connection).
 * After a failure every call fails. Not thread-safe.
 */
public final class RecordOpener {
    private final RecordCrypto crypto;
    private final byte[] header = new byte[3];
    private int headerFill;
    private int headerLength = 2;
    private byte[] body;
    private int bodyFill;
    private int pad;
    private AuthException failed;

    RecordOpener(RecordCrypto crypto) {
        this.crypto = crypto;
    }

    /**
     * @return the data of every record completed by these bytes, in order (possibly none)
     * @throws AuthException {@code bad digest}, {@code bad pad in ssl message} or
     *     {@code bad record length}; the stream is dead after it
     */
    public byte[] open(byte[] bytes, int off, int len) {
        if (failed != null) {
            throw failed;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(len);
        try {
            int pos = off;
            int end = off + len;
            while (pos < end) {
                pos = body == null ? readHeader(bytes, pos, end) : readBody(bytes, pos, end, out);
            }
        } catch (AuthException e) {
            failed = e;
            throw e;
        }
        return out.toByteArray();
    }

    private int readHeader(byte[] bytes, int pos, int end) {
        while (headerFill < headerLength && pos < end) {
            header[headerFill++] = bytes[pos++];
            if (headerFill == 1) {
                headerLength = (header[0] & 0x80) != 0 ? 2 : 3;
            }
        }
        if (headerFill == headerLength) {
            startBody();
        }
        return pos;
    }

    private void startBody() {
        int length;
        if (headerLength == 2) {
            length = ((header[0] & 0x7f) << 8) | (header[1] & 0xff);
            pad = 0;
        } else {
            length = ((header[0] & 0x3f) << 8) | (header[1] & 0xff);
            pad = header[2] & 0xff;
        }
        if (pad > length) {
            throw new AuthException("bad pad in ssl message", "pad " + pad + " exceeds the record length " + length);
        }
        if (crypto.block() && length % 8 != 0) {
            throw new AuthException("bad record length", "a des record of " + length
                    + " bytes is not a multiple of 8");
        }
        if (length < crypto.digestLength() + pad) {
            throw new AuthException("bad digest", "a record of " + length + " bytes cannot hold its "
                    + crypto.digestLength() + "-byte MAC and " + pad + " pad bytes");
        }
        body = new byte[length];
        bodyFill = 0;
    }

    private int readBody(byte[] bytes, int pos, int end, ByteArrayOutputStream out) {
        int n = Math.min(body.length - bodyFill, end - pos);
        System.arraycopy(bytes, pos, body, bodyFill, n);
        bodyFill += n;
        if (bodyFill == body.length) {
            finishRecord(out);
        }
        return pos + n;
    }

    private void finishRecord(ByteArrayOutputStream out) {
        byte[] b = body;
        body = null;
        headerFill = 0;
        headerLength = 2;
        crypto.crypt(b);
        int d = crypto.digestLength();
        if (d > 0 && !java.security.MessageDigest.isEqual(crypto.mac(b, d, b.length - d),
                java.util.Arrays.copyOf(b, d))) {
            throw new AuthException("bad digest", "the MAC of an incoming record does not match its data");
        }
        crypto.advance();
        out.write(b, d, b.length - d - pad);
    }

    /** @return whether part of a record has arrived and the rest not yet */
    public boolean inRecord() {
        return headerFill > 0;
    }

    @Override
    public String toString() {
        return "record reader, " + crypto;
    }
}
