/**
 * The transports: native 9P2000 ({@link io.regmgr.runtime.client.StyxConnector}) and the line
 * bridge ({@link io.regmgr.runtime.client.BridgeConnector}), both non-blocking on Vert.x and both
 * implementing {@link io.regmgr.spi.RegistryConnector}. Over 9P every operation of several
 * requests (a registration, a new find or index fid, a removal) sends them in one burst behind the
 * walk that binds their fid: one round trip on a registry that serves requests in order. Imports
 * only the protocol layer.
 */
package io.regmgr.runtime.client;
