/**
 * The example application: a Helidon MP service that registers itself in an Inferno registry
 * ({@link io.regmgr.example.OrderService}), watches the other services of its group
 * ({@link io.regmgr.example.PeerView}) and serves what it sees ({@link io.regmgr.example.ServicesResource}),
 * with readiness at {@code /health/ready} from the RegMgr extension.
 */
package io.regmgr.example;
