/**
 * The transports: native 9P2000 ({@link io.regmgr.runtime.client.StyxConnector}) and the line
 * bridge ({@link io.regmgr.runtime.client.BridgeConnector}), both non-blocking on Vert.x and both
 * implementing {@link io.regmgr.spi.RegistryConnector}. Imports only the protocol layer.
 */
package io.regmgr.runtime.client;
