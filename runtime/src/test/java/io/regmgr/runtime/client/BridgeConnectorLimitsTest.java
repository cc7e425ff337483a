package io.regmgr.runtime.client;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.InvalidEntryException;
import io.regmgr.LimitExceededException;
import io.regmgr.ServiceEntry;
import io.regmgr.runtime.client.BridgeClientSupport.SessionEvents;
import io.regmgr.runtime.protocol.RegistryLines;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import static io.regmgr.runtime.client.BridgeClientSupport.await;
import static io.regmgr.runtime.client.BridgeClientSupport.bridgeOptions;
import static io.regmgr.runtime.client.BridgeClientSupport.eventually;
import static io.regmgr.runtime.client.BridgeClientSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** What the client refuses before the wire, and the limits on what it reads, against the embedded bridge. */
class BridgeConnectorLimitsTest {
    @RegisterExtension
    static final ClientFixture NET = new ClientFixture();
    private EmbeddedRegistry registry;
    private RegistrySession session;
    private Registration registration;

    @BeforeEach
    void connect() {
        registry = NET.bridgeRegistry();
        // no find connections opened in advance: they would open while a refusal is counted
        session = await(NET.bridge(bridgeOptions(registry).bridgeFindPool(0)).connect(new SessionEvents()));
        registration = await(session.register(ServiceEntry.of("svc", "k", "v"), RegistrationListener.NONE));
    }

    /** @return the stage's failure, after checking that it sent nothing to the bridge */
    private Throwable refusedBeforeTheWire(Function<RegistrySession, CompletionStage<?>> attempt) {
        long before = registry.counters().bridgeConnections();
        Throwable refusal = failure(attempt.apply(session));
        assertThat(registry.counters().bridgeConnections()).as("no bridge connection for a refusal").isEqualTo(before);
        return refusal;
    }

    @Test
    void refusesLineBreaksInValuesAndAttributes() {
        assertThat(refusedBeforeTheWire(s -> s.register(ServiceEntry.of("a", "k", "one\ntwo"), RegistrationListener.NONE)))
                .as("LF in a value").isInstanceOf(InvalidEntryException.class)
                .hasMessageContaining("'k'").hasMessageContaining("CR or LF");
        assertThat(refusedBeforeTheWire(s -> s.register(ServiceEntry.of("a", "k\r", "v"), RegistrationListener.NONE)))
                .as("CR in an attribute").isInstanceOf(InvalidEntryException.class).hasMessageContaining("CR or LF");
        assertThat(refusedBeforeTheWire(s -> registration.update(Attributes.of("k", "x\r\n"))))
                .as("CRLF in an update").isInstanceOf(InvalidEntryException.class).hasMessageContaining("CR or LF");
        assertThat(registration.isActive()).as("registration unharmed").isTrue();
    }

    @Test
    void refusesAnEmptyUpdate() {
        assertThat(refusedBeforeTheWire(s -> registration.update(Attributes.empty())))
                .as("empty update").isInstanceOf(InvalidEntryException.class).hasMessageContaining("no attributes");
        assertThat(registration.isActive()).as("registration unharmed").isTrue();
        assertThat(registry.services()).as("service unharmed").containsExactly(ServiceEntry.of("svc", "k", "v"));
    }

    @Test
    void refusesLinesOf8192BytesAndAcceptsOneOf8191() {
        ServiceEntry tooLong = entryWithLineOf(8192);
        Throwable refusal = refusedBeforeTheWire(s -> s.register(tooLong, RegistrationListener.NONE));
        assertThat(refusal).as("8192-byte line").isInstanceOfSatisfying(LimitExceededException.class, e -> {
            assertThat(e.maximum()).as("maximum").isEqualTo(8191);
            assertThat(e.actual()).as("actual").isEqualTo(8192);
        }).hasMessageContaining("registration line of big");

        assertThat(refusedBeforeTheWire(s -> registration.update(Attributes.of("pad", "y".repeat(8190)))))
                .as("long update").isInstanceOf(LimitExceededException.class).hasMessageContaining("update line of svc");

        ServiceEntry longest = entryWithLineOf(8191);
        await(session.register(longest, RegistrationListener.NONE));
        assertThat(registry.services()).as("8191 bytes pass").contains(longest);
    }

    private static ServiceEntry entryWithLineOf(int bytes) {
        ServiceEntry base = ServiceEntry.of("big", "pad", "");
        int used = RegistryLines.formatLine(base).getBytes(StandardCharsets.UTF_8).length - 2;
        return ServiceEntry.of("big", "pad", "x".repeat(bytes - used));
    }

    @Test
    void findAnswerOverMaxAnswerBytesFails() {
        for (int i = 0; i < 30; i++) {
            await(session.register(ServiceEntry.of("service-number-" + i, "id", Integer.toString(i),
                    "descr", "padding to make the answer large"), RegistrationListener.NONE));
        }
        // no find connections opened in advance: this counts the failed find's own connection
        BridgeConnector small = NET.bridge(bridgeOptions(registry).maxAnswerBytes(1024).bridgeFindPool(0));
        RegistrySession limited = await(small.connect(new SessionEvents()));
        long openBefore = registry.counters().openConnections();

        Throwable tooBig = failure(limited.index());

        assertThat(tooBig).as("index over 1024 bytes").isInstanceOfSatisfying(LimitExceededException.class, e -> {
            assertThat(e.limit()).as("limit").isEqualTo("answer size");
            assertThat(e.maximum()).as("maximum").isEqualTo(1024);
        }).hasMessageContaining("find Filter[]");
        assertThat(await(limited.find(Filter.of("id", "7")))).as("a small answer still works").hasSize(1);
        eventually().untilAsserted(() -> assertThat(
                registry.counters().openConnections()).as("find connections closed").isEqualTo(openBefore));
    }
}
