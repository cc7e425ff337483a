/**
 * The CDI programming model: declare services with {@link io.regmgr.cdi.RegistryService} and
 * monitors with {@link io.regmgr.cdi.RegistryMonitor} (or in configuration alone), observe what the
 * monitors see as immutable events ({@link io.regmgr.cdi.ServiceChange} and its records, qualified
 * with {@link io.regmgr.cdi.Monitored}) and the connection going up and down
 * ({@link io.regmgr.cdi.RegistryConnected}, {@link io.regmgr.cdi.RegistryDisconnected}), and inject
 * the handles: {@link io.regmgr.RegistryManager}, {@link io.regmgr.ServiceRegistration} qualified
 * with {@link io.regmgr.cdi.Registered}, {@link io.regmgr.Monitor} qualified with
 * {@link io.regmgr.cdi.Monitored}.
 *
 * <p>Only the annotations and qualifiers need the CDI API, which the container provides; the
 * runtime module holds the extension that implements all of it.
 */
package io.regmgr.cdi;
