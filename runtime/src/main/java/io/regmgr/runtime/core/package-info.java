/**
 * The manager: keeps one connection to a registry and every attached task working through
 * network faults and registry restarts, as the original Inferno::RegMgr did. Built with
 * {@link io.regmgr.runtime.core.RegistryManagers}, configured with
 * {@link io.regmgr.runtime.core.ManagerOptions}.
 *
 * <p>Inside: the connection loop (connect, watch events, reconnect with backoff and full jitter,
 * detect registry restarts), the reads of each registry change planned together for every task
 * at the registry's lowest cost ({@code ReadPlanner}: one index read, or
 * covers and filtered finds), and the
 * built-in tasks (service registration, one-shot lookup, monitor with an O(n) diff). All state
 * lives on one Vert.x context; user code runs on per-task serial executors, never on the event
 * loop. Reaches registries only through the connection SPI ({@link io.regmgr.spi}); never CDI.
 * The object the application holds is a facade over that state, which refers to it only weakly:
 * a manager the application no longer references is closed by a {@link java.lang.ref.Cleaner}.
 */
package io.regmgr.runtime.core;
