package io.regmgr.runtime.auth;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The recorded vectors under src/test/resources/auth-vectors, made by a real Inferno. */
public final class Vectors {
    /** A moment after every recording (2026-12-01), for expiry checks that do not depend on today. */
    static final long RECORDED_NOW = 1_796_100_000L;

    private Vectors() {
    }

    static byte[] bytes(String path) {
        try (InputStream in = Vectors.class.getResourceAsStream("/auth-vectors/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no vector " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param name a key file under {@code auth-vectors/keys} (made by Inferno's own tools)
     * @return it, parsed
     */
    public static KeyFile key(String name) {
        return KeyFile.parse(bytes("keys/" + name));
    }

    static JsonObject caseOf(String name) {
        return new JsonObject(new String(bytes("transcripts/" + name + ".case.json"), StandardCharsets.UTF_8));
    }

    static List<String> keyNames() {
        return List.of("alice-expired.rsa", "alice-expiring.rsa", "alice-othersigner.rsa", "alice.default",
                "alice.elgamal", "alice.rsa", "bob.default", "bob.elgamal", "bob.rsa", "othersigner.rsa",
                "server.default", "server.elgamal", "server.rsa", "signer.default", "signer.elgamal", "signer.rsa");
    }

    static List<String> dsaKeyNames() {
        return List.of("signer.dsa", "dsa-inproc/signer.dsa", "dsa-inproc/server.dsa", "dsa-inproc/alice.dsa");
    }

    /** Recordings of a whole successful handshake. */
    static List<String> successful() {
        return List.of("authvec-bob-sha1-vs-rc4sha1list", "authvec-des_56_cbc-sha1", "authvec-elgamal-rc4_256-sha1",
                "authvec-elgamal-sha1", "authvec-md5", "authvec-none", "authvec-rc4_128-md5", "authvec-rc4_256-sha1",
                "authvec-rc4_40", "authvec-sha1", "pyclient-des_56_cbc-sha1", "pyclient-rc4_256-sha1",
                "pyserver-stockmount-des_56_cbc-sha1", "pyserver-stockmount-none", "pyserver-stockmount-rc4_256-sha1",
                "stockmount-elgamal-rc4_256-sha1", "stockmount-none", "stockmount-rc4_256-sha1", "stockmount-sha1",
                "fail-alg-clear-vs-default", "fail-alg-none-vs-sha1only", "fail-alg-rc4_256-sha1-vs-sha1only");
    }

    /** One direction of a recording: its frames, then the bytes after them. */
    record Stream(List<AuthFrames.Frame> frames, byte[] rest) {
        AuthFrames.Frame frame(int i) {
            return frames.get(i);
        }
    }

    /** Splits a recorded direction into at most {@code maxFrames} frames and the rest. */
    static Stream stream(String name, String dir, int maxFrames) {
        byte[] b = bytes("transcripts/" + name + "." + dir + ".bin");
        FrameReader r = new FrameReader(AuthFrames.MAX_PAYLOAD);
        r.feed(b, 0, b.length);
        List<AuthFrames.Frame> frames = new ArrayList<>();
        for (AuthFrames.Frame f = frames.size() < maxFrames ? r.next() : null; f != null;
                f = frames.size() < maxFrames ? r.next() : null) {
            frames.add(f);
        }
        return new Stream(frames, r.take());
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
