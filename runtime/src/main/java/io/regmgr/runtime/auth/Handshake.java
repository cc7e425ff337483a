package io.regmgr.runtime.auth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Inferno's {@code Keyring->auth} as a state machine over frames; the same for both roles (the
 * algorithm frame that follows is the caller's). Feed it every frame the peer sends
 * ({@link #onFrame}) and the end of input ({@link #onEnd}); send what each {@link Step} says, in
 * order. The steps, checks and error words are those of section 7 of the auth spec, hardened where
 * Inferno is lax: a peer alpha of 0 or 1 is refused as {@code implausible parameter value}.
 *
 * <p>Not thread-safe: one instance per connection, driven from one thread. Holds the
 * Diffie-Hellman exponent until done; never prints it.
 */
public final class Handshake {
    private static final String VERSION = "1";

    /**
     * What happened after one input.
     *
     * @param send frames to write, in order (may be empty)
     * @param result the outcome once finished, else null
     * @param failure the failure once finished, else null
     */
    public record Step(List<byte[]> send, Result result, AuthException failure) {
        /** @return whether the handshake is over (success or failure) */
        public boolean finished() {
            return result != null || failure != null;
        }
    }

    /**
     * A successful authentication.
     *
     * @param peerName the owner of the peer's public key: who the peer is
     * @param peerKey the peer's public key
     * @param secret the Diffie-Hellman secret, minimal big-endian bytes: the record layer's key
     */
    public record Result(String peerName, PublicKey peerKey, byte[] secret) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && r.peerName.equals(peerName) && r.peerKey.equals(peerKey)
                    && Arrays.equals(r.secret, secret);
        }

        @Override
        public int hashCode() {
            return peerName.hashCode() * 31 + Arrays.hashCode(secret);
        }

        @Override
        public String toString() {
            return "authenticated '" + peerName + "' (" + peerKey.alg() + ")";
        }
    }

    private enum Phase { VERSION, ALPHA, CERTIFICATE, PUBLIC_KEY, SIGNATURE, AWAIT_OK, DRAIN, DONE }

    private final KeyFile key;
    private final SecureRandom random;
    private final LongSupplier nowSeconds;
    private Phase phase = Phase.VERSION;
    private BigInteger r0;
    private BigInteger a0;
    private BigInteger a1;
    private Certificate peerCertificate;
    private PublicKey peerKey;
    private Result result;
    private AuthException localFailure;

    /**
     * @param key my key file
     * @param random for the Diffie-Hellman exponent and ElGamal signatures
     * @param nowSeconds the clock for certificate expiry, seconds since 1970 UTC
     * @throws AuthException when my own key cannot sign (dsa), naming the file's owner
     */
    public Handshake(KeyFile key, SecureRandom random, LongSupplier nowSeconds) {
        this.key = key;
        this.random = random;
        this.nowSeconds = nowSeconds;
        key.secretKey().alg().usable();
    }

    /** @return the frames to send first: the version */
    public List<byte[]> start() {
        return List.of(AuthFrames.message(VERSION));
    }

    /**
     * @param frame the peer's next frame
     * @return what to send and whether it is over
     */
    public Step onFrame(AuthFrames.Frame frame) {
        List<byte[]> send = new ArrayList<>();
        if (phase == Phase.DONE) {
            throw new IllegalStateException("the handshake is over");
        }
        if (frame.error()) {
            return peerError(frame, send);
        }
        if (phase == Phase.AWAIT_OK || phase == Phase.DRAIN) {
            // keep reading until the peer's OK (its own checks passed) or its error
            if (!frame.isOk()) {
                return new Step(send, null, null);
            }
            phase = Phase.DONE;
            return new Step(send, localFailure == null ? result : null, localFailure);
        }
        try {
            accept(frame, send);
        } catch (AuthException e) {
            localFailure = e;
            send.add(AuthFrames.error("remote: " + e.reason()));
            phase = Phase.DRAIN;
        }
        return new Step(send, null, null);
    }

    /**
     * The peer's input ended (EOF or a read failure) before the handshake finished.
     *
     * @param partial whether part of a frame had arrived
     * @return the failure
     */
    public Step onEnd(boolean partial) {
        Phase was = phase;
        phase = Phase.DONE;
        if (was == Phase.DONE) {
            throw new IllegalStateException("the handshake is over");
        }
        if (localFailure != null) {
            return new Step(List.of(), null, localFailure);
        }
        boolean hungup = !partial && was != Phase.AWAIT_OK;
        return new Step(List.of(), null, new AuthException(hungup ? "hungup" : "input or format error",
                "the peer's input ended while waiting for its " + was.name().toLowerCase().replace('_', ' ')));
    }

    private Step peerError(AuthFrames.Frame frame, List<byte[]> send) {
        Phase was = phase;
        phase = Phase.DONE;
        if (was == Phase.DRAIN) {
            return new Step(send, null, localFailure);
        }
        if (was != Phase.AWAIT_OK) {
            send.add(AuthFrames.error("remote: missing your authentication data"));
        }
        // the peer's words whole (an error frame holds at most 999 bytes), escaped
        return new Step(send, null, new AuthException(Texts.shorten(frame.text(), AuthFrames.MAX_ERROR),
                "the peer's error"));
    }

    private void accept(AuthFrames.Frame frame, List<byte[]> send) {
        switch (phase) {
            case VERSION -> {
                checkVersion(frame.text());
                BigInteger p = key.modulus();
                r0 = new BigInteger(p.bitLength(), random);
                a0 = key.alpha().modPow(r0, p);
                send.add(AuthFrames.message(BigText.encode(a0)));
                send.add(AuthFrames.message(key.certificate().text()));
                send.add(AuthFrames.message(key.publicKey().text()));
                phase = Phase.ALPHA;
            }
            case ALPHA -> {
                a1 = checkAlpha(frame.text());
                phase = Phase.CERTIFICATE;
            }
            case CERTIFICATE -> {
                peerCertificate = Certificate.parse(frame.text());
                phase = Phase.PUBLIC_KEY;
            }
            case PUBLIC_KEY -> {
                checkPeerKey(frame);
                byte[] signed = KeyFile.ascii(BigText.encode(a0) + BigText.encode(a1));
                send.add(AuthFrames.message(Certificate.sign(key.secretKey(), signed, 0, random).text()));
                phase = Phase.SIGNATURE;
            }
            case SIGNATURE -> {
                checkSignature(frame.text());
                result = new Result(peerKey.owner(), peerKey, BigText.unsignedBytes(a1.modPow(r0, key.modulus())));
                r0 = null;
                send.add(AuthFrames.message("OK"));
                phase = Phase.AWAIT_OK;
            }
            default -> throw new IllegalStateException(phase.name());
        }
    }

    private static void checkVersion(String v) {
        if (v.length() > 4 || !v.matches("0*1")) {
            throw new AuthException("incompatible authentication protocol", "the peer's version is '"
                    + Texts.shorten(v) + "', this side speaks 1");
        }
    }

    private BigInteger checkAlpha(String text) {
        BigInteger a = BigText.decode(text, "peer's alpha");
        if (a.compareTo(key.modulus()) >= 0 || a.compareTo(BigInteger.ONE) <= 0) {
            throw new AuthException("implausible parameter value", "the peer's alpha**r is not in [2, p): are both key files"
                    + " signed by the same signer? Another signer's keys carry other Diffie-Hellman parameters");
        }
        if (a.equals(a0)) {
            throw new AuthException("possible replay attack", "the peer's alpha**r equals ours");
        }
        return a;
    }

    private void checkPeerKey(AuthFrames.Frame frame) {
        peerKey = PublicKey.parse(frame.text());
        if (!peerCertificate.verifies(key.signer(), frame.payload())) {
            throw new AuthException("pk doesn't match certificate", "the certificate of '"
                    + Texts.shorten(peerKey.owner()) + "' is not signed by '" + key.signer().owner() + "' ("
                    + key.signer().alg() + ")");
        }
        if (peerCertificate.expiredAt(nowSeconds.getAsLong())) {
            throw new AuthException("certificate expired", "the certificate of '" + Texts.shorten(peerKey.owner())
                    + "' expired at " + peerCertificate.expires() + " s since 1970");
        }
    }

    private void checkSignature(String text) {
        Certificate sig;
        try {
            sig = Certificate.parse(text);
        } catch (AuthException e) {
            throw new AuthException("alpha**r1 doesn't match certificate", e.getMessage());
        }
        byte[] signed = (BigText.encode(a1) + BigText.encode(a0)).getBytes(StandardCharsets.ISO_8859_1);
        if (!sig.verifies(peerKey, signed)) {
            throw new AuthException("bad certificate", "the alpha signature of '" + Texts.shorten(peerKey.owner())
                    + "' does not verify");
        }
    }

    @Override
    public String toString() {
        return "handshake as '" + key.owner() + "' at " + phase.name().toLowerCase();
    }
}
