package io.regmgr.runtime.cdi;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The runtime module deploys where OpenTelemetry is absent: in a class loader over the test class
 * path without the {@code io.opentelemetry} jars (parent: the platform loader, so nothing leaks in
 * from the test's own loader), a Weld application with the extension starts and registers its
 * service ({@link WithoutOpenTelemetry}); only the adapter package fails to load there.
 */
class WithoutOpenTelemetryTest {
    private static URLClassLoader withoutOpenTelemetry() throws MalformedURLException {
        return new URLClassLoader("without-opentelemetry", classPath(false), ClassLoader.getPlatformClassLoader());
    }

    /** @return the test class path's OpenTelemetry jars ({@code true}) or all the others */
    private static URL[] classPath(boolean openTelemetry) throws MalformedURLException {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.replace(File.separatorChar, '/').contains("/io/opentelemetry/") == openTelemetry) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    /**
     * As on OpenLiberty with {@code mpTelemetry-2.0} and no third-party API visibility: the
     * application's context loader sees the API, regmgr-runtime's loader does not. The API is then
     * not used (it could not be linked: the application failed to start with a
     * {@code NoClassDefFoundError} before).
     */
    @Test
    void anApiOnlyTheApplicationSeesIsNotUsed() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader library = withoutOpenTelemetry();
                URLClassLoader application = new URLClassLoader("application", classPath(true), library)) {
            assertThat(Class.forName("io.opentelemetry.api.OpenTelemetry", false, application))
                    .as("the application sees the API").isNotNull();
            thread.setContextClassLoader(application);
            Method apiClass = Class.forName(CdiTelemetry.class.getName(), true, library).getDeclaredMethod("apiClass");
            apiClass.setAccessible(true);
            assertThat(apiClass.invoke(null)).as("the API as regmgr-runtime sees it: none").isNull();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void aWeldApplicationStartsWithoutTheOpenTelemetryApi() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader loader = withoutOpenTelemetry()) {
            assertThatThrownBy(() -> Class.forName("io.opentelemetry.api.OpenTelemetry", false, loader))
                    .as("the API is hidden").isInstanceOf(ClassNotFoundException.class);
            Class<?> adapter = Class.forName("io.regmgr.runtime.otel.OpenTelemetryMetrics", true, loader);
            assertThatThrownBy(() -> adapter.getMethod("ofInstance", Object.class).invoke(null, new Object()))
                    .as("only the adapter needs it, once called").hasRootCauseInstanceOf(ClassNotFoundException.class)
                    .rootCause().hasMessageContaining("io.opentelemetry.api.OpenTelemetry");
            thread.setContextClassLoader(loader);
            Class<?> scenario = Class.forName(WithoutOpenTelemetry.class.getName(), true, loader);
            assertThat(scenario.getClassLoader()).as("loaded apart from the test's loader").isSameAs(loader);
            ((Runnable) scenario.getDeclaredConstructor().newInstance()).run();
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
