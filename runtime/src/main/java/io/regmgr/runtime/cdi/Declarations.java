package io.regmgr.runtime.cdi;

import io.regmgr.cdi.InvalidDeclarationException;
import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What both CDI front ends ({@link RegMgrExtension}, portable; {@link RegMgrBuildExtension},
 * build-compatible) learn about an application, and the checks they report with the same
 * messages: the declaring classes, the {@link DeclarationModel}, the monitor names observers ask
 * for, and the {@link Settings}. Each front end only reads annotations its own way and hands
 * their values here. Not thread-safe: a container runs the phases of one deployment in turn.
 */
final class Declarations {
    private final Config config;
    private final DeclarationModel model;
    private final Set<String> declaring = new LinkedHashSet<>();
    private final Set<String> checked = new LinkedHashSet<>();
    /** Monitor names asked for by observers, with the observer, for the cross-bean check. */
    private final Map<String, String> observed = new LinkedHashMap<>();
    private final List<String> settingsProblems = new ArrayList<>();
    private Settings settings;

    /** @param config the application's configuration, for expressions, declarations and settings */
    Declarations(Config config) {
        this.config = config;
        this.model = new DeclarationModel(key -> config.getOptionalValue(key, String.class));
    }

    /** Records a class carrying {@code @RegistryService} or {@code @RegistryMonitor}. */
    void declaring(String className) {
        declaring.add(className);
    }

    /** @return whether the class was recorded by {@link #declaring} and not yet checked; marks it checked */
    boolean firstCheck(String className) {
        return declaring.contains(className) && checked.add(className);
    }

    /** Records that an observer asks for the monitor {@code name} ({@code ""}: none named). */
    void observed(String name, String observer) {
        observed.putIfAbsent(name, observer);
    }

    /**
     * Reads the declarations of configuration and the settings, once every bean was checked.
     *
     * @return the problems of the declarations of configuration (definition errors)
     */
    List<String> complete() {
        List<String> problems = model.declareFromConfig(config);
        settings = Settings.read(config, settingsProblems);
        return problems;
    }

    /** @return the problems across beans: clashing declarations, invalid settings, unknown observed monitors */
    List<String> deploymentProblems() {
        List<String> problems = new ArrayList<>(model.crossCheck());
        problems.addAll(settingsProblems);
        observed.forEach((name, observer) -> {
            if (name.isEmpty()) {
                problems.add("Invalid @Monitored without a monitor name on " + observer
                        + ": name the monitor, or leave @Monitored out to observe every monitor");
            } else if (!model.hasMonitor(name)) {
                problems.add("Unknown monitor '" + name + "' in @Monitored on " + observer
                        + ": no monitor has that name (declared: " + monitorNames() + ")");
            }
        });
        return problems;
    }

    /** @return the declaring classes checked as managed beans, in order */
    List<String> checked() {
        return List.copyOf(checked);
    }

    /** @return the declaring classes that were never checked as managed beans, for a warning */
    List<String> unchecked() {
        return declaring.stream().filter(c -> !checked.contains(c)).toList();
    }

    /** @return the warning for a declaring class that is not a managed bean */
    static String notABean(String className) {
        return "RegMgr ignores the declarations on " + className + ": it is not a managed bean (abstract, vetoed,"
                + " or without a bean-defining annotation in an annotated bean archive)";
    }

    DeclarationModel model() {
        return model;
    }

    /** @return the settings, once {@link #complete} has run */
    Settings settings() {
        return settings;
    }

    /** @return the problems as exceptions, for a container's error sink */
    static List<InvalidDeclarationException> exceptions(List<String> problems) {
        return problems.stream().map(InvalidDeclarationException::new).toList();
    }

    private String monitorNames() {
        List<String> names = new ArrayList<>();
        model.monitors().forEach(m -> names.add(m.id()));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
