package io.regmgr.cdi;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Objects;

/**
 * Qualifies what belongs to one monitor: its events and its {@link io.regmgr.Monitor} handle.
 *
 * <pre>{@code
 * void peers(@Observes @Monitored("peers") ServiceAdded added) { ... }   // one monitor's additions
 * void any(@Observes ServiceChange change) { ... }                      // every monitor's changes
 * @Inject @Monitored("peers") Monitor peers;                             // its current view
 * }</pre>
 *
 * <p>Naming a monitor that is not declared fails the deployment. On a {@code Monitor} injection
 * point in a bean that declares exactly one {@link RegistryMonitor}, the name may be left out.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface Monitored {
    /** @return the monitor's name ({@link RegistryMonitor#name()} or its configuration id) */
    String value() default "";

    /** An instance of {@link Monitored}, for programmatic lookups and firing. Immutable. */
    final class Literal extends AnnotationLiteral<Monitored> implements Monitored {
        private static final long serialVersionUID = 1L;

        private final String value;

        private Literal(String value) {
            this.value = Objects.requireNonNull(value, "monitor name");
        }

        /**
         * @param monitor the monitor's name
         * @return {@code @Monitored(monitor)}
         */
        public static Literal of(String monitor) {
            return new Literal(monitor);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
