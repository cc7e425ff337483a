package io.regmgr.runtime.cdi;

import io.regmgr.cdi.InvalidDeclarationException;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.RegistryService;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * Creates the {@link RegMgrDeployment} bean of the build-compatible extension at run time: a
 * container such as Quarkus runs the extension at build time, so the declarations are read again
 * here from the classes it checked (parameter {@value #CLASSES}) and from the run-time
 * configuration, with the same {@link Declarations}. A problem that appears only with the run-time
 * configuration fails the bean's creation with an {@link InvalidDeclarationException}.
 */
public final class DeploymentCreator implements SyntheticBeanCreator<RegMgrDeployment> {
    /** Parameter: the names of the declaring classes, {@code String[]}. */
    static final String CLASSES = "classes";

    /** Used by the container. */
    public DeploymentCreator() {
    }

    @Override
    public RegMgrDeployment create(Instance<Object> lookup, Parameters params) {
        Declarations declarations = new Declarations(ConfigProvider.getConfig());
        List<String> problems = new ArrayList<>();
        for (String name : params.get(CLASSES, String[].class)) {
            problems.addAll(declare(declarations, load(name)));
        }
        problems.addAll(declarations.complete());
        problems.addAll(declarations.deploymentProblems());
        if (!problems.isEmpty()) {
            throw new InvalidDeclarationException(String.join("; ", problems));
        }
        return new RegMgrDeployment(declarations.model(), declarations.settings());
    }

    private static List<String> declare(Declarations declarations, Class<?> type) {
        List<String> problems = new ArrayList<>();
        RegistryService s = type.getAnnotation(RegistryService.class);
        if (s != null) {
            String id = s.id().isEmpty() ? DeclarationModel.defaultServiceId(type) : s.id();
            problems.addAll(declarations.model().declareService(type.getName(), id, s.name(), s.attributes()));
        }
        for (RegistryMonitor m : type.getAnnotationsByType(RegistryMonitor.class)) {
            problems.addAll(declarations.model().declareMonitor(type.getName(), m.name(), m.filter()));
        }
        return problems;
    }

    private static Class<?> load(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(name, false, loader != null ? loader : DeploymentCreator.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new InvalidDeclarationException("RegMgr cannot load the declaring class " + name + " at run time: " + e);
        }
    }
}
