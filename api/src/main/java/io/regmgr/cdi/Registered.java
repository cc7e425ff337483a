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
 * Qualifies the {@link io.regmgr.ServiceRegistration} handle of a declared service, through which
 * the application updates its attributes live and watches its state.
 *
 * <pre>{@code
 * @Inject @Registered ServiceRegistration self;             // in a @RegistryService bean: its own
 * @Inject @Registered("orders") ServiceRegistration orders; // any declared service, by id
 * }</pre>
 *
 * <p>Without a value it names the service declared by the bean that has the injection point; that
 * bean must carry {@link RegistryService}. Naming an id that is not declared fails the deployment.
 * The handle is a {@code @Dependent} reference to the one registration of that service.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface Registered {
    /** @return the service's id ({@link RegistryService#id()} or its configuration id); empty: the bean's own */
    String value() default "";

    /** An instance of {@link Registered}, for programmatic lookups. Immutable. */
    final class Literal extends AnnotationLiteral<Registered> implements Registered {
        private static final long serialVersionUID = 1L;

        private final String value;

        private Literal(String value) {
            this.value = Objects.requireNonNull(value, "service id");
        }

        /**
         * @param id the service's id
         * @return {@code @Registered(id)}
         */
        public static Literal of(String id) {
            return new Literal(id);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
