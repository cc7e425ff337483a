/**
 * Inferno's mutual authentication ({@code Keyring->auth}) and its ssl(3) record layer, as pure
 * functions and state machines over bytes: no sockets, no threads. Frames ({@link AuthFrames}),
 * big integers in text ({@link BigText}), keys, certificates and signatures ({@link PublicKey},
 * {@link SecretKey}, {@link Certificate}, {@link SignatureAlg}), key files ({@link KeyFile}), the
 * handshake ({@link Handshake}), the algorithm frame ({@link SslAlgorithm}) and the records
 * ({@link RecordSealer}, {@link RecordOpener}). Hashes and ciphers come from the JDK's JCE, the
 * modular arithmetic from {@link java.math.BigInteger}. Nothing here logs or prints a secret.
 */
package io.regmgr.runtime.auth;
