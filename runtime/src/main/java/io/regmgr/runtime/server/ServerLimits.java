package io.regmgr.runtime.server;

/**
 * The bounds one embedded registry enforces on every connection.
 *
 * @param maxMessageSize largest 9P message, the msize the server offers (real exported registry: 65560)
 * @param maxFidsPerConnection fids one 9P connection may hold at once
 * @param maxLineLength longest line on the line bridge, in bytes including its newline
 */
record ServerLimits(int maxMessageSize, int maxFidsPerConnection, int maxLineLength) {
}
