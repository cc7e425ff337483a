/**
 * The connection SPI: how the manager reaches a registry. {@link io.regmgr.spi.RegistryConnector}
 * opens {@link io.regmgr.spi.RegistrySession sessions}, each live while the registry's event
 * stream is; through a session one registers services, finds them and reads the index. Implement
 * it to add a transport, as the original Inferno::RegMgr's connection plugins did.
 */
package io.regmgr.spi;
