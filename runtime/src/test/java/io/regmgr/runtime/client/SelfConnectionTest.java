package io.regmgr.runtime.client;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SelfConnectionTest {
    @Test
    void aSocketWhoseEndsAreTheSameAddressAndPortIsConnectedToItself() {
        assertThat(SelfConnection.connectedToItself(SocketAddress.inetSocketAddress(41000, "127.0.0.1"),
                SocketAddress.inetSocketAddress(41000, "127.0.0.1"))).as("same address and port").isTrue();
        assertThat(SelfConnection.connectedToItself(SocketAddress.inetSocketAddress(41001, "127.0.0.1"),
                SocketAddress.inetSocketAddress(41000, "127.0.0.1"))).as("other port").isFalse();
        assertThat(SelfConnection.connectedToItself(SocketAddress.inetSocketAddress(41000, "127.0.0.2"),
                SocketAddress.inetSocketAddress(41000, "127.0.0.1"))).as("other address").isFalse();
        assertThat(SelfConnection.connectedToItself(null, SocketAddress.inetSocketAddress(41000, "127.0.0.1")))
                .as("no local address").isFalse();
    }
}
