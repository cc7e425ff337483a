package io.regmgr.runtime.server;

import java.util.List;

/**
 * The registry profiles every client suite runs against: today's well-behaved server and the
 * exported registry (how real registries are usually reached, defects included). A suite is
 * parameterised with {@code @ParameterizedClass @MethodSource(ClientSuiteProfiles.SOURCE)}, so
 * that a client behaviour that works only on our own server fails a test.
 */
public final class ClientSuiteProfiles {
    /** The method source naming {@link #profiles()}. */
    public static final String SOURCE = "io.regmgr.runtime.server.ClientSuiteProfiles#profiles";

    private ClientSuiteProfiles() {
    }

    /** @return DEFAULT and EXPORTED */
    public static List<RegistryProfile> profiles() {
        return List.of(RegistryProfile.DEFAULT, RegistryProfile.EXPORTED);
    }
}
