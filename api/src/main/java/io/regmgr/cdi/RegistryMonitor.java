package io.regmgr.cdi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a monitor: a live view of the services matching a filter, kept current through
 * reconnects and registry restarts. Each change is fired as a CDI event ({@link ServiceAdded},
 * {@link ServiceModified}, {@link ServiceRemoved}) qualified with {@link Monitored @Monitored(name)}.
 *
 * <pre>{@code
 * @ApplicationScoped
 * @RegistryMonitor(name = "peers", filter = {"kind=${app.kind:orders}", "proto=*"})
 * public class Peers {
 *     @Inject @Monitored("peers") Monitor view;        // its current view: view.view()
 *
 *     void changed(@Observes @Monitored("peers") ServiceChange change) { ... }
 * }
 * }</pre>
 *
 * <p>The filter may contain MicroProfile Config expressions, as in {@link RegistryService}. The
 * declaration is active whether or not the bean is ever instantiated. A bean may declare several
 * monitors; names are unique in the application.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(RegistryMonitor.List.class)
public @interface RegistryMonitor {
    /**
     * @return the monitor's name: the value of {@link Monitored} on its events and its handle, and
     *     the id in configuration ({@code regmgr.monitors.<name>.*}); letters, digits, {@code -}
     *     and {@code _}
     */
    String name();

    /**
     * @return the filter as {@code attr=value} pairs, all of which a service must carry; a value
     *     of {@code *} matches any value of that attribute. Default: every service
     */
    String[] filter() default {};

    /** Holds several {@link RegistryMonitor}s on one class. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface List {
        /** @return the monitors */
        RegistryMonitor[] value();
    }
}
