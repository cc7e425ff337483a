/**
 * The embedded registry: a faithful Inferno registry(4) in Java, served over 9P2000 and over the
 * line bridge, for tests, examples and users' own tests. {@link io.regmgr.runtime.server.EmbeddedRegistry}
 * is the entry point; {@link io.regmgr.runtime.server.RegistryLauncher} runs one from the command line.
 * Imports only the protocol layer (and the api model); never CDI.
 */
package io.regmgr.runtime.server;
