/**
 * The CDI layer: a portable extension ({@link io.regmgr.runtime.cdi.RegMgrExtension}) that turns
 * the declarations of {@code io.regmgr.cdi} and of configuration ({@link io.regmgr.runtime.cdi.RegMgrConfig})
 * into a running manager, fires what the monitors see as CDI events, and reports readiness and
 * liveness through MicroProfile Health.
 *
 * <p>The logic is in plain classes that import no CDI: {@link io.regmgr.runtime.cdi.DeclarationModel}
 * (what is declared, resolved and checked), {@link io.regmgr.runtime.cdi.Settings} (the
 * configuration) and {@link io.regmgr.runtime.cdi.RegistryRuntime} (what runs), so that another
 * kind of extension (build-compatible, for Quarkus) can reuse them. Only the extension, the
 * library's beans and the event sink touch CDI. Imports {@code core} and {@code server}.
 */
package io.regmgr.runtime.cdi;
