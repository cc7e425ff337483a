package io.regmgr;

import java.util.Optional;

/**
 * A snapshot of a {@link ServiceRegistration}'s state. Immutable.
 *
 * @param state where the registration stands
 * @param error the last refusal or failure, with the registry's words when it gave some (null if none)
 * @param attempts failed attempts since it was last registered
 */
public record RegistrationStatus(RegistrationState state, Throwable error, int attempts) {
    /** @return {@link #error()} as an Optional */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(error);
    }
}
