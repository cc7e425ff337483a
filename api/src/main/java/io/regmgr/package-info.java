/**
 * The registry model that applications use: {@link io.regmgr.ServiceEntry services},
 * {@link io.regmgr.Attributes attributes}, {@link io.regmgr.Filter filters}, the naming rules of
 * {@link io.regmgr.RegistryNames} and the project's exceptions. Nothing here does I/O.
 */
package io.regmgr;
