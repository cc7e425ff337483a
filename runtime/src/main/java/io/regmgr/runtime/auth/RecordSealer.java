package io.regmgr.runtime.auth;

import java.io.ByteArrayOutputStream;

/**
 * Writes devssl records: data in, records out ({@code [MAC] data [pad]}, MAC first, then the
 * cipher over the body, then a 2-byte header, or 3 bytes when DES needs padding). A write longer
 * than one record's limit is split. Not thread-safe: one per connection direction.
 */
public final class RecordSealer {
    /** Largest body of an unpadded record (15-bit length). */
    static final int MAX_BODY = 32767;
    /** Largest body of a padded record (14-bit length). */
    static final int MAX_PADDED_BODY = 16383;

    private final RecordCrypto crypto;
    private final int maxData;

    RecordSealer(RecordCrypto crypto) {
        this.crypto = crypto;
        int d = crypto.digestLength();
        // a padded body, MAC and pad included, must stay a multiple of 8 within 14 bits
        this.maxData = crypto.block() ? MAX_PADDED_BODY / 8 * 8 - d : MAX_BODY - d;
    }

    /** @return the records carrying {@code data[off, off+len)}; empty for {@code len == 0} */
    public byte[] seal(byte[] data, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + len / maxData * 24 + 32);
        for (int pos = off; pos < off + len; pos += maxData) {
            record(data, pos, Math.min(maxData, off + len - pos), out);
        }
        return out.toByteArray();
    }

    private void record(byte[] data, int off, int len, ByteArrayOutputStream out) {
        int d = crypto.digestLength();
        int pad = crypto.block() ? (8 - (len + d) % 8) % 8 : 0;
        byte[] body = new byte[d + len + pad];
        System.arraycopy(data, off, body, d, len);
        if (d > 0) {
            // MAC = H(secret || data || pad || seq[4])
            System.arraycopy(crypto.mac(body, d, len + pad), 0, body, 0, d);
        }
        crypto.crypt(body);
        int m = body.length;
        if (pad == 0) {
            // header[2]: 0x80|len>>8 len&0xff
            out.write(0x80 | (m >> 8));
            out.write(m & 0xff);
        } else {
            // header[3]: len>>8 len&0xff pad
            out.write(m >> 8);
            out.write(m & 0xff);
            out.write(pad);
        }
        out.writeBytes(body);
        crypto.advance();
    }

    /** @return the most data one record carries */
    public int maxData() {
        return maxData;
    }

    @Override
    public String toString() {
        return "record writer, " + crypto;
    }
}
