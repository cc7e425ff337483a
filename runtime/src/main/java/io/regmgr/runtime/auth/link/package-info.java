/**
 * Runs the pure {@link io.regmgr.runtime.auth} machinery over a Vert.x {@code NetSocket}: the
 * handshake with a deadline, the algorithm frame, then the record layer between the socket and
 * the 9P code of the client and of the embedded registry. Everything runs on the socket's event
 * loop.
 */
package io.regmgr.runtime.auth.link;
