package io.regmgr.cdi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a service that the application keeps registered in the registry for as long as it runs:
 * registered when the application starts, re-registered after every reconnect and registry restart,
 * unregistered when the application stops (before its beans are destroyed).
 *
 * <pre>{@code
 * @ApplicationScoped
 * @RegistryService(name = "tcp!${app.host}!${server.port}",
 *         attributes = {"proto=http", "kind=${app.kind:orders}"})
 * public class Orders {
 *     @Inject @Registered ServiceRegistration self;     // this bean's own registration
 *
 *     void overloaded() {
 *         self.update(Attributes.of("load", "high"));     // applied live, kept across reconnects
 *     }
 * }
 * }</pre>
 *
 * <p>Names and values may contain MicroProfile Config expressions: {@code ${key}} (the property
 * must exist) or {@code ${key:default}}. Expressions do not nest, and {@code ${} always starts one.
 * They are resolved once, when the application is deployed; a missing property without a default
 * fails the deployment, naming the bean, the value and the key.
 *
 * <p>The declaration is active whether or not the bean is ever instantiated. Configuration can add
 * to it: {@code regmgr.services.<id>.attributes.<attr>} adds or replaces attributes and
 * {@code regmgr.services.<id>.name} replaces the name, where {@code <id>} is {@link #id()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RegistryService {
    /**
     * @return the service name, by convention its address ({@code tcp!host!port}); may contain
     *     expressions. Not empty, not {@code new}, {@code index}, {@code find} or {@code event}, no
     *     blank, control character or {@code /}
     */
    String name();

    /**
     * @return attributes as {@code attr=value} (split at the first {@code =} outside an
     *     expression), e.g. {@code {"proto=tcp", "kind=${app.kind:orders}"}}. Default: none
     */
    String[] attributes() default {};

    /**
     * @return the id that names this declaration in configuration ({@code regmgr.services.<id>.*})
     *     and in {@link Registered @Registered("<id>")}; letters, digits, {@code -} and {@code _}.
     *     Default: the bean class's simple name with its first letter in lower case
     *     ({@code Orders} gives {@code orders})
     */
    String id() default "";
}
