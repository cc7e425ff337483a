package io.regmgr.runtime.cdi;

import io.regmgr.Attributes;
import io.regmgr.Filter;
import io.regmgr.RegistryException;
import io.regmgr.RegistryNames;
import io.regmgr.ServiceEntry;
import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one model of the services and monitors an application declares, by annotation or in
 * configuration: each declaration resolved (expressions), checked (the registry's rules) and kept
 * by id. Framework-free, so that every kind of CDI extension (portable, build-compatible) can feed
 * it. Not thread-safe: a container builds it on one thread during deployment, then only reads it.
 *
 * <p>Problems come back as messages that name the element, the value and the rule: the caller
 * reports those of one declaration as definition errors, those of {@link #crossCheck()} as
 * deployment problems.
 */
public final class DeclarationModel {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]+");

    /**
     * A service the application keeps registered.
     *
     * @param id its id (in configuration and in {@code @Registered})
     * @param origin where it was declared, for messages
     * @param entry its resolved name and attributes
     */
    public record DeclaredService(String id, String origin, ServiceEntry entry) {
    }

    /**
     * A monitor the application keeps current.
     *
     * @param id its name (in configuration and in {@code @Monitored})
     * @param origin where it was declared, for messages
     * @param filter its resolved filter
     */
    public record DeclaredMonitor(String id, String origin, Filter filter) {
    }

    private final Function<String, Optional<String>> lookup;
    private final Map<String, DeclaredService> services = new LinkedHashMap<>();
    private final Map<String, DeclaredMonitor> monitors = new LinkedHashMap<>();
    private final List<String> duplicates = new ArrayList<>();

    /** @param lookup configuration for expressions: key to value, empty if absent */
    public DeclarationModel(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /**
     * @param beanClass a bean class carrying {@code @RegistryService} without an id
     * @return its default id: the simple name with a lower-case first letter
     */
    public static String defaultServiceId(Class<?> beanClass) {
        String simple = beanClass.getSimpleName();
        return simple.isEmpty() ? beanClass.getName() : Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    }

    /**
     * @param simpleName the simple name of a bean class carrying {@code @RegistryService} without an
     *     id, as a build-compatible extension sees it (without loading the class)
     * @param className its binary name, used when the simple name is empty
     * @return its default id, as {@link #defaultServiceId(Class)}
     */
    public static String defaultServiceId(String simpleName, String className) {
        return simpleName.isEmpty() ? className : Character.toLowerCase(simpleName.charAt(0)) + simpleName.substring(1);
    }

    /**
     * Declares a service from an annotation ({@code @RegistryService} or an equivalent).
     *
     * @param origin the declaring class's name
     * @param id the id ({@code ""}: {@link #defaultServiceId})
     * @param nameTemplate the name, with expressions
     * @param attributes {@code attr=value} texts, with expressions
     * @return the problems; the service is recorded only if there are none
     */
    public List<String> declareService(String origin, String id, String nameTemplate, String[] attributes) {
        List<String> problems = new ArrayList<>();
        checkId("@RegistryService.id on " + origin, id, problems);
        Optional<String> name = resolve("@RegistryService.name on " + origin, nameTemplate, problems);
        Map<String, String> attrs = new LinkedHashMap<>();
        for (String text : attributes) {
            pair("@RegistryService.attributes on " + origin, text, attrs, problems);
        }
        Optional<ServiceEntry> entry = name.flatMap(n -> entry("@RegistryService", origin, nameTemplate, n, attrs, problems));
        if (problems.isEmpty() && entry.isPresent()) {
            DeclaredService previous = services.putIfAbsent(id, new DeclaredService(id, origin, entry.get()));
            if (previous != null) {
                duplicates.add("Duplicate @RegistryService.id '" + id + "' on " + origin + ": " + previous.origin()
                        + " already declares it (ids are unique: set @RegistryService.id on one of them)");
            }
        }
        return problems;
    }

    /**
     * Declares a monitor from an annotation ({@code @RegistryMonitor} or an equivalent).
     *
     * @param origin the declaring class's name
     * @param name the monitor's name
     * @param filter {@code attr=value} texts with expressions; empty or a lone {@code *}: every service
     * @return the problems; the monitor is recorded only if there are none
     */
    public List<String> declareMonitor(String origin, String name, String[] filter) {
        List<String> problems = new ArrayList<>();
        checkId("@RegistryMonitor.name on " + origin, name, problems);
        Optional<Filter> f = filter("@RegistryMonitor.filter on " + origin + " (monitor '" + name + "')", List.of(filter), problems);
        if (problems.isEmpty() && f.isPresent()) {
            DeclaredMonitor previous = monitors.putIfAbsent(name, new DeclaredMonitor(name, origin, f.get()));
            if (previous != null) {
                duplicates.add("Duplicate @RegistryMonitor.name '" + name + "' on " + origin + ": " + previous.origin()
                        + " already declares it (monitor names are unique)");
            }
        }
        return problems;
    }

    /**
     * Declares the services and monitors of configuration ({@code regmgr.services.<id>.*},
     * {@code regmgr.monitors.<id>.*}). For an id already declared by annotation, configuration
     * replaces the name or filter it gives and adds or replaces attributes. Call once, after
     * every annotation.
     *
     * @param config the application's configuration
     * @return the problems
     */
    public List<String> declareFromConfig(Config config) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> serviceKeys = new TreeMap<>();
        Map<String, Map<String, String>> monitorKeys = new TreeMap<>();
        for (String key : config.getPropertyNames()) {
            if (key.startsWith(RegMgrConfig.SERVICES)) {
                group(key, RegMgrConfig.SERVICES, serviceKeys, problems);
            } else if (key.startsWith(RegMgrConfig.MONITORS)) {
                group(key, RegMgrConfig.MONITORS, monitorKeys, problems);
            }
        }
        serviceKeys.forEach((id, keys) -> configuredService(config, id, keys, problems));
        monitorKeys.forEach((id, keys) -> configuredMonitor(config, id, keys, problems));
        return problems;
    }

    /** @return what only the whole application shows: two declarations with one id or one service name */
    public List<String> crossCheck() {
        List<String> problems = new ArrayList<>(duplicates);
        Map<String, DeclaredService> byName = new LinkedHashMap<>();
        for (DeclaredService s : services.values()) {
            DeclaredService other = byName.putIfAbsent(s.entry().name(), s);
            if (other != null) {
                problems.add("Duplicate service name '" + s.entry().name() + "': service '" + other.id() + "' ("
                        + other.origin() + ") and service '" + s.id() + "' (" + s.origin()
                        + ") (a registry holds one service per name)");
            }
        }
        return problems;
    }

    /** @return the declared services, in declaration order; unmodifiable */
    public Collection<DeclaredService> services() {
        return Collections.unmodifiableCollection(services.values());
    }

    /** @return the declared monitors, in declaration order; unmodifiable */
    public Collection<DeclaredMonitor> monitors() {
        return Collections.unmodifiableCollection(monitors.values());
    }

    /** @param id a service id @return whether it is declared */
    public boolean hasService(String id) {
        return services.containsKey(id);
    }

    /** @param name a monitor name @return whether it is declared */
    public boolean hasMonitor(String name) {
        return monitors.containsKey(name);
    }

    private static void group(String key, String prefix, Map<String, Map<String, String>> into, List<String> problems) {
        String rest = key.substring(prefix.length());
        int dot = rest.indexOf('.');
        if (dot <= 0) {
            problems.add("Invalid configuration key " + key + ": expected " + prefix + "<id>.<property>");
            return;
        }
        into.computeIfAbsent(rest.substring(0, dot), k -> new TreeMap<>()).put(rest.substring(dot + 1), key);
    }

    private void configuredService(Config config, String id, Map<String, String> keys, List<String> problems) {
        String where = RegMgrConfig.SERVICES + id;
        int before = problems.size();
        checkId(where, id, problems);
        DeclaredService annotated = services.get(id);
        Optional<String> name = keys.containsKey(RegMgrConfig.SERVICE_NAME)
                ? config.getOptionalValue(keys.get(RegMgrConfig.SERVICE_NAME), String.class)
                : Optional.ofNullable(annotated).map(s -> s.entry().name());
        if (name.isEmpty()) {
            problems.add("Missing " + where + "." + RegMgrConfig.SERVICE_NAME + ": a service declared in configuration needs a name");
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        if (annotated != null) {
            attrs.putAll(annotated.entry().attributes().asMap());
        }
        keys.forEach((property, key) -> {
            if (property.startsWith(RegMgrConfig.SERVICE_ATTRIBUTES) && property.length() > RegMgrConfig.SERVICE_ATTRIBUTES.length()) {
                attrs.put(property.substring(RegMgrConfig.SERVICE_ATTRIBUTES.length()),
                        config.getOptionalValue(key, String.class).orElse(""));
            } else if (!property.equals(RegMgrConfig.SERVICE_NAME)) {
                problems.add("Unknown configuration key " + key + ": a service has " + RegMgrConfig.SERVICE_NAME
                        + " and " + RegMgrConfig.SERVICE_ATTRIBUTES + "<attr>");
            }
        });
        if (name.isEmpty() || problems.size() > before) {
            return;
        }
        String origin = annotated == null ? "configuration " + where : annotated.origin() + " and configuration " + where;
        entry(where, null, name.get(), name.get(), attrs, problems)
                .ifPresent(e -> services.put(id, new DeclaredService(id, origin, e)));
    }

    private void configuredMonitor(Config config, String id, Map<String, String> keys, List<String> problems) {
        String where = RegMgrConfig.MONITORS + id;
        int before = problems.size();
        checkId(where, id, problems);
        keys.forEach((property, key) -> {
            if (!property.equals(RegMgrConfig.MONITOR_FILTER)) {
                problems.add("Unknown configuration key " + key + ": a monitor has " + RegMgrConfig.MONITOR_FILTER);
            }
        });
        Optional<List<String>> words = config.getOptionalValues(where + "." + RegMgrConfig.MONITOR_FILTER, String.class);
        if (words.isEmpty()) {
            problems.add("Missing " + where + "." + RegMgrConfig.MONITOR_FILTER
                    + ": a monitor declared in configuration needs a filter (attr=value,... or * for every service)");
        }
        if (words.isEmpty() || problems.size() > before) {
            return;
        }
        DeclaredMonitor annotated = monitors.get(id);
        String origin = annotated == null ? "configuration " + where : annotated.origin() + " and configuration " + where;
        filter(where + "." + RegMgrConfig.MONITOR_FILTER, words.get(), problems)
                .ifPresent(f -> monitors.put(id, new DeclaredMonitor(id, origin, f)));
    }

    private static void checkId(String element, String id, List<String> problems) {
        if (!ID.matcher(id).matches()) {
            problems.add("Invalid " + element + " '" + id + "': an id is letters, digits, '-' and '_', not empty");
        }
    }

    private Optional<String> resolve(String element, String template, List<String> problems) {
        try {
            return Optional.of(Expressions.resolve(template, lookup));
        } catch (RegistryException e) {
            problems.add("Invalid " + element + ": '" + template + "': " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Parses {@code attr=value} (split at the first '=' outside an expression), resolves both and adds them. */
    private void pair(String element, String text, Map<String, String> into, List<String> problems) {
        int eq = Expressions.indexOutside(text, '=');
        if (eq <= 0) {
            problems.add("Invalid " + element + ": '" + text + "' is not attr=value"
                    + (eq == 0 ? " (the attribute name is empty)" : ""));
            return;
        }
        Optional<String> attr = resolve(element, text.substring(0, eq), problems);
        Optional<String> value = resolve(element, text.substring(eq + 1), problems);
        if (attr.isPresent() && value.isPresent() && into.putIfAbsent(attr.get(), value.get()) != null) {
            problems.add("Invalid " + element + ": '" + text + "': attribute '" + attr.get()
                    + "' is given twice (a service has one value per attribute)");
        }
    }

    /** Checks the resolved name and attributes by the registry's rules, naming the element that breaks one. */
    private static Optional<ServiceEntry> entry(String element, String origin, String nameTemplate, String name, Map<String, String> attrs,
            List<String> problems) {
        boolean ok = true;
        try {
            RegistryNames.checkServiceName(name);
        } catch (RegistryException e) {
            String value = nameTemplate.equals(name) ? "" : "'" + nameTemplate + "' resolves to '" + name + "': ";
            problems.add("Invalid " + element + ".name" + on(origin) + ": " + value + rule(e));
            ok = false;
        }
        Attributes attributes = Attributes.empty();
        try {
            attributes = Attributes.of(attrs);
        } catch (RegistryException e) {
            problems.add("Invalid " + element + ".attributes" + on(origin) + ": " + rule(e));
            ok = false;
        }
        return ok ? Optional.of(new ServiceEntry(name, attributes)) : Optional.empty();
    }

    private Optional<Filter> filter(String element, List<String> texts, List<String> problems) {
        if (texts.isEmpty() || texts.size() == 1 && texts.get(0).trim().equals(Filter.WILDCARD)) {
            return Optional.of(Filter.all());
        }
        int before = problems.size();
        List<String> words = new ArrayList<>();
        for (String text : texts) {
            int eq = Expressions.indexOutside(text, '=');
            if (eq <= 0) {
                problems.add("Invalid " + element + ": '" + text + "' is not attr=value (a filter is attribute/value pairs;"
                        + " a value of * matches any value, a lone * every service)");
                continue;
            }
            resolve(element, text.substring(0, eq).trim(), problems).ifPresent(words::add);
            resolve(element, text.substring(eq + 1).trim(), problems).ifPresent(words::add);
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        try {
            return Optional.of(Filter.of(words));
        } catch (RegistryException e) {
            problems.add("Invalid " + element + ": " + rule(e));
            return Optional.empty();
        }
    }

    private static String on(String origin) {
        return origin == null ? "" : " on " + origin;
    }

    /** A model exception's message without its leading "Invalid ", to follow the element's name. */
    private static String rule(RegistryException e) {
        String m = e.getMessage();
        return m.startsWith("Invalid ") ? m.substring("Invalid ".length()) : m;
    }
}
