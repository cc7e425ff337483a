package io.regmgr.runtime.cdi;

import io.regmgr.Monitor;
import io.regmgr.ServiceRegistration;
import io.regmgr.cdi.Monitored;
import io.regmgr.cdi.Registered;
import io.regmgr.cdi.RegistryMonitor;
import io.regmgr.cdi.RegistryService;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.build.compatible.spi.BeanInfo;
import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.Discovery;
import jakarta.enterprise.inject.build.compatible.spi.Enhancement;
import jakarta.enterprise.inject.build.compatible.spi.InjectionPointInfo;
import jakarta.enterprise.inject.build.compatible.spi.Messages;
import jakarta.enterprise.inject.build.compatible.spi.MetaAnnotations;
import jakarta.enterprise.inject.build.compatible.spi.ObserverInfo;
import jakarta.enterprise.inject.build.compatible.spi.Registration;
import jakarta.enterprise.inject.build.compatible.spi.ScannedClasses;
import jakarta.enterprise.inject.build.compatible.spi.SkipIfPortableExtensionPresent;
import jakarta.enterprise.inject.build.compatible.spi.Synthesis;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.build.compatible.spi.Validation;
import jakarta.enterprise.lang.model.AnnotationInfo;
import jakarta.enterprise.lang.model.AnnotationMember;
import jakarta.enterprise.lang.model.declarations.ClassInfo;
import jakarta.enterprise.lang.model.types.Type;
import org.eclipse.microprofile.config.ConfigProvider;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * The build-compatible (CDI Lite) front end, for containers that ignore portable extensions
 * (Quarkus' ArC); Weld and OpenLiberty run {@link RegMgrExtension} instead and skip this one. Both
 * hand what they read to {@link Declarations}, so they check the same things with the same
 * messages; the annotation values travel to run time as {@link DeploymentCreator} parameters.
 *
 * <p>Phases, one job each: {@code @Discovery} registers the library's own beans;
 * {@code @Enhancement} collects the declaring classes; {@code @Registration} checks each bean's
 * declarations and collects the monitor names observers ask for; {@code @Synthesis} adds the
 * deployment bean and one {@code @Dependent} handle bean per service and monitor;
 * {@code @Validation} checks across beans.
 *
 * <p>Unlike the portable extension it cannot rewrite injection points: {@code @Registered} and
 * {@code @Monitored} must name their service or monitor (an error says so).
 */
@SkipIfPortableExtensionPresent(RegMgrExtension.class)
public class RegMgrBuildExtension implements BuildCompatibleExtension {
    private static final System.Logger LOG = System.getLogger(RegMgrBuildExtension.class.getName());

    private Declarations declarations;

    /**
     * Adds the library's own beans (its jar is no bean archive) and declares its qualifiers.
     *
     * @param scan where classes are added to discovery
     * @param meta where the qualifiers are declared
     */
    @Discovery
    public void registerLibraryBeans(ScannedClasses scan, MetaAnnotations meta) {
        scan.add(RegMgrBeans.class.getName());
        // The qualifiers, declared, since a container that indexes only bean archives does not see the api jar.
        meta.addQualifier(Registered.class);
        meta.addQualifier(Monitored.class);
        if (RegMgrExtension.healthApiPresent()) {
            scan.add(RegMgrHealthChecks.ReadinessCheck.class.getName());
            scan.add(RegMgrHealthChecks.LivenessCheck.class.getName());
        }
    }

    /** @param type a class carrying {@code @RegistryService} or {@code @RegistryMonitor}, recorded */
    @Enhancement(types = Object.class, withSubtypes = true,
            withAnnotations = {RegistryService.class, RegistryMonitor.class, RegistryMonitor.List.class})
    public void collect(ClassInfo type) {
        if (type.hasAnnotation(RegistryService.class) || !type.repeatableAnnotation(RegistryMonitor.class).isEmpty()) {
            declarations().declaring(type.name());
        }
    }

    /**
     * Checks one bean: its unnamed handle injection points, and its declarations if it declares any.
     *
     * @param bean the bean
     * @param messages where problems go, as definition errors of the bean
     */
    @Registration(types = Object.class)
    public void checkBean(BeanInfo bean, Messages messages) {
        for (InjectionPointInfo ip : bean.injectionPoints()) {
            checkNamed(ip, messages);
        }
        if (!bean.isClassBean() || !declarations().firstCheck(bean.declaringClass().name())) {
            return;
        }
        ClassInfo type = bean.declaringClass();
        AnnotationInfo s = type.annotation(RegistryService.class);
        if (s != null) {
            String id = s.member("id").asString();
            id = id.isEmpty() ? DeclarationModel.defaultServiceId(type.simpleName(), type.name()) : id;
            report(model().declareService(type.name(), id, s.member("name").asString(), strings(s.member("attributes"))),
                    bean, messages);
        }
        for (AnnotationInfo m : type.repeatableAnnotation(RegistryMonitor.class)) {
            report(model().declareMonitor(type.name(), m.member("name").asString(), strings(m.member("filter"))),
                    bean, messages);
        }
    }

    /** @param observer an observer, whose {@code @Monitored} name is recorded for the cross-bean check */
    @Registration(types = Object.class)
    public void collectObservers(ObserverInfo observer) {
        for (AnnotationInfo q : observer.qualifiers()) {
            if (q.name().equals(Monitored.class.getName())) {
                String where = observer.declaringClass() == null ? "a synthetic observer" : observer.declaringClass().name();
                declarations().observed(q.value().asString(), where + " observing " + typeName(observer.eventType()));
            }
        }
    }

    /**
     * Adds the declarations of configuration, the deployment bean and the handle beans.
     *
     * @param components where the beans are added
     * @param messages where problems of the configuration's declarations go
     */
    @Synthesis
    public void addBeans(SyntheticComponents components, Messages messages) {
        declarations().complete().forEach(messages::error);
        components.addBean(RegMgrDeployment.class).type(RegMgrDeployment.class).scope(Dependent.class)
                .withParam(DeploymentCreator.CLASSES, declarations().checked().toArray(String[]::new))
                .createWith(DeploymentCreator.class);
        for (DeclarationModel.DeclaredService s : model().services()) {
            components.addBean(ServiceRegistration.class).type(ServiceRegistration.class).scope(Dependent.class)
                    .qualifier(Registered.Literal.of(s.id())).withParam(HandleCreators.NAME, s.id())
                    .createWith(HandleCreators.Registration.class);
        }
        for (DeclarationModel.DeclaredMonitor m : model().monitors()) {
            components.addBean(Monitor.class).type(Monitor.class).scope(Dependent.class)
                    .qualifier(Monitored.Literal.of(m.id())).withParam(HandleCreators.NAME, m.id())
                    .createWith(HandleCreators.Monitors.class);
        }
    }

    /** @param messages where the problems across beans go; a class that is no bean gets a warning */
    @Validation
    public void checkDeployment(Messages messages) {
        declarations().deploymentProblems().forEach(messages::error);
        declarations().unchecked().forEach(c -> LOG.log(Level.WARNING, Declarations.notABean(c)));
    }

    private static void checkNamed(InjectionPointInfo ip, Messages messages) {
        for (AnnotationInfo q : ip.qualifiers()) {
            boolean registered = q.name().equals(Registered.class.getName());
            if ((registered || q.name().equals(Monitored.class.getName())) && q.value().asString().isEmpty()) {
                messages.error("Invalid @" + (registered ? "Registered" : "Monitored") + " without a "
                        + (registered ? "service id" : "monitor name") + " on " + ip.declaration()
                        + ": this container runs the build-compatible extension, which cannot name it for you (write @"
                        + (registered ? "Registered(\"<id>\")" : "Monitored(\"<name>\")") + ")");
            }
        }
    }

    /** @return a class type's binary name, as the portable extension prints it */
    private static String typeName(Type type) {
        return type.isClass() ? type.asClass().declaration().name() : type.toString();
    }

    private DeclarationModel model() {
        return declarations().model();
    }

    private Declarations declarations() {
        if (declarations == null) {
            declarations = new Declarations(ConfigProvider.getConfig());
        }
        return declarations;
    }

    private static void report(List<String> problems, BeanInfo bean, Messages messages) {
        problems.forEach(p -> messages.error(p, bean));
    }

    private static String[] strings(AnnotationMember array) {
        return array.asArray().stream().map(AnnotationMember::asString).toArray(String[]::new);
    }
}
