package io.regmgr.runtime.server;

/**
 * The bounds one embedded registry enforces on every connection, and the profile of real registry
 * whose observable behaviour it reproduces.
 *
 * @param maxMessageSize largest 9P message, the msize the server offers (real exported registry: 65560)
 * @param maxFidsPerConnection fids one 9P connection may hold at once
 * @param maxLineLength longest line on the line bridge, in bytes including its newline
 * @param profile the kind of real registry reproduced
 */
record ServerLimits(int maxMessageSize, int maxFidsPerConnection, int maxLineLength, RegistryProfile profile) {
}
