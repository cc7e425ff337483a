package io.regmgr.runtime.cdi;

import io.regmgr.Monitor;
import io.regmgr.ServiceRegistration;
import io.regmgr.cdi.InvalidDeclarationException;
import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.Registered;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.RegistryService;
import io.regmgr.runtime.cdi.DeclarationModel.DeclaredMonitor;
import io.regmgr.runtime.cdi.DeclarationModel.DeclaredService;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.inject.spi.ProcessObserverMethod;
import jakarta.enterprise.inject.spi.WithAnnotations;
import org.eclipse.microprofile.config.ConfigProvider;

import java.lang.System.Logger.Level;
import java.lang.annotation.Annotation;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The portable extension: finds the services and monitors an application declares, checks them,
 * and makes their handles injectable; the running part is {@link RegMgrBeans}. It holds metadata
 * only, never a connection.
 *
 * <p>Phases, one job each:
 * <ol>
 * <li>{@code BeforeBeanDiscovery}: registers the library's own beans (its jar has no beans.xml).
 * <li>{@code ProcessAnnotatedType} ({@code @WithAnnotations}): collects the declaring classes.
 * <li>{@code ProcessInjectionPoint}: gives {@code @Registered} / {@code @Monitored} without a name
 *     the name of the bean's own declaration.
 * <li>{@code ProcessObserverMethod}: collects the monitor names observers ask for.
 * <li>{@code ProcessManagedBean}: resolves and checks each bean's declarations
 *     ({@code addDefinitionError}: bad name, attribute, filter, unresolvable expression).
 * <li>{@code AfterBeanDiscovery}: adds the declarations of configuration and one
 *     {@code @Dependent} handle bean per service and monitor.
 * <li>{@code AfterDeploymentValidation}: checks across beans ({@code addDeploymentProblem}: two
 *     services with one name or id, an observer of an unknown monitor, invalid settings).
 * </ol>
 * The declarations live in a {@link DeclarationModel}, framework-free, so that a build-compatible
 * extension can share it.
 */
public class RegMgrExtension implements Extension {
    private static final System.Logger LOG = System.getLogger(RegMgrExtension.class.getName());
    private static final String HEALTH_API = "org.eclipse.microprofile.health.HealthCheck";

    private final Map<Class<?>, AnnotatedType<?>> declaring = new LinkedHashMap<>();
    private Declarations declarations;

    void registerLibraryBeans(@Observes BeforeBeanDiscovery bbd, BeanManager beanManager) {
        add(bbd, beanManager, RegMgrBeans.class);
        if (healthApiPresent()) {
            add(bbd, beanManager, RegMgrHealthChecks.ReadinessCheck.class);
            add(bbd, beanManager, RegMgrHealthChecks.LivenessCheck.class);
        }
    }

    void collect(@Observes @WithAnnotations({RegistryService.class, RegistryMonitor.class, RegistryMonitor.List.class})
            ProcessAnnotatedType<?> pat) {
        AnnotatedType<?> type = pat.getAnnotatedType();
        if (type.isAnnotationPresent(RegistryService.class) || !type.getAnnotations(RegistryMonitor.class).isEmpty()) {
            declaring.put(type.getJavaClass(), type);
            declarations().declaring(type.getJavaClass().getName());
        }
    }

    void ownRegistration(@Observes ProcessInjectionPoint<?, ServiceRegistration> pip) {
        InjectionPoint ip = pip.getInjectionPoint();
        Registered q = qualifier(ip, Registered.class);
        if (q == null || !q.value().isEmpty()) {
            return;
        }
        AnnotatedType<?> type = declaring.get(beanClass(ip));
        RegistryService service = type == null ? null : type.getAnnotation(RegistryService.class);
        if (service == null) {
            pip.addDefinitionError(new InvalidDeclarationException("Invalid @Registered without a service id on " + ip
                    + ": it names the service its bean declares, but " + beanClass(ip).getName()
                    + " has no @RegistryService (write @Registered(\"<id>\"))"));
            return;
        }
        String id = service.id().isEmpty() ? DeclarationModel.defaultServiceId(type.getJavaClass()) : service.id();
        pip.configureInjectionPoint().qualifiers(replace(ip.getQualifiers(), Registered.class, Registered.Literal.of(id)));
    }

    void ownMonitor(@Observes ProcessInjectionPoint<?, Monitor> pip) {
        InjectionPoint ip = pip.getInjectionPoint();
        Monitored q = qualifier(ip, Monitored.class);
        if (q == null || !q.value().isEmpty()) {
            return;
        }
        AnnotatedType<?> type = declaring.get(beanClass(ip));
        Set<RegistryMonitor> monitors = type == null ? Set.of() : type.getAnnotations(RegistryMonitor.class);
        if (monitors.size() != 1) {
            pip.addDefinitionError(new InvalidDeclarationException("Invalid @Monitored without a monitor name on " + ip
                    + ": it names the monitor its bean declares, but " + beanClass(ip).getName() + " declares "
                    + monitors.size() + " @RegistryMonitor (write @Monitored(\"<name>\"))"));
            return;
        }
        String name = monitors.iterator().next().name();
        pip.configureInjectionPoint().qualifiers(replace(ip.getQualifiers(), Monitored.class, Monitored.Literal.of(name)));
    }

    void collectObservers(@Observes ProcessObserverMethod<?, ?> pom) {
        for (Annotation a : pom.getObserverMethod().getObservedQualifiers()) {
            if (a instanceof Monitored m) {
                declarations().observed(m.value(), pom.getObserverMethod().getBeanClass().getName()
                        + " observing " + pom.getObserverMethod().getObservedType().getTypeName());
            }
        }
    }

    void checkBean(@Observes ProcessManagedBean<?> pmb) {
        AnnotatedType<?> type = pmb.getAnnotatedBeanClass();
        if (!declarations().firstCheck(type.getJavaClass().getName())) {
            return;
        }
        String origin = type.getJavaClass().getName();
        RegistryService s = type.getAnnotation(RegistryService.class);
        if (s != null) {
            String id = s.id().isEmpty() ? DeclarationModel.defaultServiceId(type.getJavaClass()) : s.id();
            report(model().declareService(origin, id, s.name(), s.attributes()), pmb::addDefinitionError);
        }
        for (RegistryMonitor m : type.getAnnotations(RegistryMonitor.class)) {
            report(model().declareMonitor(origin, m.name(), m.filter()), pmb::addDefinitionError);
        }
    }

    void addHandles(@Observes AfterBeanDiscovery abd) {
        report(declarations().complete(), abd::addDefinitionError);
        abd.addBean().beanClass(RegMgrDeployment.class).types(RegMgrDeployment.class, Object.class).scope(Dependent.class)
                .produceWith(beans -> new RegMgrDeployment(model(), settings()));
        for (DeclaredService s : model().services()) {
            String id = s.id();
            abd.addBean().beanClass(RegMgrBeans.class).types(ServiceRegistration.class, Object.class)
                    .qualifiers(Registered.Literal.of(id), Any.Literal.INSTANCE).scope(Dependent.class)
                    .produceWith(beans -> beans.select(RegMgrBeans.class).get().registration(id));
        }
        for (DeclaredMonitor m : model().monitors()) {
            String name = m.id();
            abd.addBean().beanClass(RegMgrBeans.class).types(Monitor.class, Object.class)
                    .qualifiers(Monitored.Literal.of(name), Any.Literal.INSTANCE).scope(Dependent.class)
                    .produceWith(beans -> beans.select(RegMgrBeans.class).get().monitor(name));
        }
    }

    void checkDeployment(@Observes AfterDeploymentValidation adv) {
        report(declarations().deploymentProblems(), adv::addDeploymentProblem);
        declarations().unchecked().forEach(c -> LOG.log(Level.WARNING, Declarations.notABean(c)));
    }

    DeclarationModel model() {
        return declarations().model();
    }

    Settings settings() {
        return declarations().settings();
    }

    private Declarations declarations() {
        if (declarations == null) {
            declarations = new Declarations(ConfigProvider.getConfig());
        }
        return declarations;
    }

    private static void add(BeforeBeanDiscovery bbd, BeanManager beanManager, Class<?> type) {
        bbd.addAnnotatedType(beanManager.createAnnotatedType(type), RegMgrExtension.class.getName() + "/" + type.getName());
    }

    /** @return whether the MicroProfile Health API is present, so that the health checks can be beans */
    static boolean healthApiPresent() {
        try {
            Class.forName(HEALTH_API, false, RegMgrExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static void report(List<String> problems, Consumer<Throwable> sink) {
        problems.forEach(p -> sink.accept(new InvalidDeclarationException(p)));
    }

    private static Class<?> beanClass(InjectionPoint ip) {
        return ip.getBean() != null ? ip.getBean().getBeanClass() : ip.getMember().getDeclaringClass();
    }

    private static <A extends Annotation> A qualifier(InjectionPoint ip, Class<A> type) {
        for (Annotation a : ip.getQualifiers()) {
            if (type.isInstance(a)) {
                return type.cast(a);
            }
        }
        return null;
    }

    private static Set<Annotation> replace(Set<Annotation> qualifiers, Class<? extends Annotation> type, Annotation with) {
        Set<Annotation> out = new HashSet<>();
        qualifiers.stream().filter(a -> !type.isInstance(a)).forEach(out::add);
        out.add(with);
        return out;
    }
}
