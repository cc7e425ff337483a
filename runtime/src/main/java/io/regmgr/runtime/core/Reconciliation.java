package io.regmgr.runtime.core;

import io.regmgr.Attributes;
import io.regmgr.RegistrationConflictException;
import io.regmgr.RegistryNames;
import io.regmgr.ServiceEntry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a registration must do after comparing what it wants with what the registry holds under
 * its name. Stateless decision; the registration acts on it.
 *
 * @param kind what to do
 * @param writeBack the attributes to write back (for {@link Kind#WRITE_BACK}), else empty
 * @param conflict the conflict to report (for {@link Kind#CONFLICT}), else null
 */
record Reconciliation(Kind kind, Attributes writeBack, RegistrationConflictException conflict) {
    /** The verdicts. */
    enum Kind {
        /** The registry holds what we want. */
        IN_LINE,
        /** Nothing is held under the name: register again. */
        ABSENT,
        /** Ours, with some of our attributes changed by someone else: write ours back. */
        WRITE_BACK,
        /** Held by a service that is not provably ours: report, never write over it. */
        CONFLICT
    }

    /**
     * @param wanted what we registered (instance token included, when on)
     * @param held what the registry holds under its name
     * @param token this manager's instance token
     * @return the verdict
     */
    static Reconciliation of(ServiceEntry wanted, Optional<ServiceEntry> held, InstanceToken token) {
        if (held.isEmpty()) {
            return new Reconciliation(Kind.ABSENT, Attributes.of(), null);
        }
        ServiceEntry h = held.get();
        if (token.attribute().isPresent() && !token.marks(h)) {
            String attr = token.attribute().orElseThrow();
            String holder = h.attributes().get(attr).map(v -> attr + "=" + RegistryNames.printable(v)).orElse("no " + attr);
            return new Reconciliation(Kind.CONFLICT, Attributes.of(), new RegistrationConflictException(wanted.name(),
                    holder, "its " + attr + " is not this manager's"));
        }
        Attributes diff = difference(h.attributes(), wanted.attributes());
        return diff.isEmpty() ? new Reconciliation(Kind.IN_LINE, diff, null) : new Reconciliation(Kind.WRITE_BACK, diff, null);
    }

    /**
     * @param held what is held
     * @param wanted what we want
     * @return the attributes of {@code wanted} that {@code held} lacks or has with another value
     *     (attributes only {@code held} has cannot be deleted from a registry, and are left)
     */
    static Attributes difference(Attributes held, Attributes wanted) {
        Map<String, String> diff = new LinkedHashMap<>();
        wanted.asMap().forEach((k, v) -> {
            if (!v.equals(held.asMap().get(k))) {
                diff.put(k, v);
            }
        });
        return Attributes.of(diff);
    }
}
