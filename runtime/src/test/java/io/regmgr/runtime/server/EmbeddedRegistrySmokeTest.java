package io.regmgr.runtime.server;

import io.regmgr.runtime.protocol.StyxMessage;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedRegistrySmokeTest {
    @Test
    void registersOverStyxAndIsSeenOverTheBridge() throws Exception {
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().bridge("tcp!127.0.0.1!0").build().start();
             StyxTestClient c = StyxTestClient.connect(registry.styxPort())) {
            c.version(8216);
            c.attach(0, "alice");
            c.walk(0, 1, "new");
            c.open(1, StyxMessage.ORDWR);
            assertThat(c.write(1, "svc proto tcp")).as("write").isInstanceOf(StyxMessage.Rwrite.class);
            c.walk(0, 2, "index");
            c.open(2, StyxMessage.OREAD);
            assertThat(c.readAll(2)).as("index").isEqualTo("svc proto tcp\n");
            try (Socket find = new Socket("127.0.0.1", registry.bridgeFindPort())) {
                OutputStream out = find.getOutputStream();
                out.write("proto tcp\n".getBytes(StandardCharsets.UTF_8));
                BufferedReader in = new BufferedReader(new InputStreamReader(find.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).as("bridge find").isEqualTo("svc proto tcp");
                assertThat(in.readLine()).as("end of answer").isNull();
            }
            assertThat(registry.services()).as("services").hasSize(1);
            assertThat(registry.bridgeFindPort()).as("consecutive").isEqualTo(registry.bridgeNewPort() + 1);
        }
    }
}
