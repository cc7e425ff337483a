package io.regmgr.runtime.bench;

import io.regmgr.ChangeOrigin;
import io.regmgr.Filter;
import io.regmgr.Monitor;
import io.regmgr.MonitorListener;
import io.regmgr.RegistrationState;
import io.regmgr.RegistryManager;
import io.regmgr.ServiceEntry;
import io.regmgr.ServiceRegistration;
import io.regmgr.runtime.client.ConnectorOptions;
import io.regmgr.runtime.client.StyxConnector;
import io.regmgr.runtime.core.ManagerOptions;
import io.regmgr.runtime.core.RegistryManagers;
import io.regmgr.runtime.server.EmbeddedRegistry;
import io.regmgr.runtime.server.RegistryCounters;
import io.regmgr.spi.Registration;
import io.regmgr.spi.RegistrationListener;
import io.regmgr.spi.RegistrySession;
import io.vertx.core.Vertx;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scenario harness (not a test) for the manager at scale over 9P against the embedded registry
 * on loopback: restore time after a registry restart by services and monitors, change-to-listener
 * latency by services in the registry, registration throughput (10,000 services), monitor fan-out
 * (1,000 monitors: index reads per change, time until every listener ran), heap per registered and
 * per monitored service. Writes a chart to {@code docs/benchmarks.png}. Run with
 * {@code bash bench/run.sh scale}.
 */
public final class ScaleFigures {
    private static final int RESTARTS = 7;
    private static final int[] CHART_SERVICES = {100, 1_000, 5_000};

    private ScaleFigures() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        System.out.printf("machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        double[] restore = new double[CHART_SERVICES.length];
        double[] latency = new double[CHART_SERVICES.length];
        for (int monitors : new int[] {10, 100}) {
            for (int i = 0; i < CHART_SERVICES.length; i++) {
                double ms = restore(CHART_SERVICES[i], monitors);
                if (monitors == 10) {
                    restore[i] = ms;
                }
            }
        }
        for (int i = 0; i < CHART_SERVICES.length; i++) {
            latency[i] = latency(CHART_SERVICES[i]);
        }
        throughput(10_000);
        fanOut(1_000);
        memory(10_000);
        chart(restore, latency, new File(args.length > 0 ? args[0] : "docs/benchmarks.png"));
    }

    private static StyxConnector connector(EmbeddedRegistry registry, Vertx vertx) {
        return new StyxConnector(ConnectorOptions.builder("tcp!127.0.0.1!" + registry.styxPort()).vertx(vertx).build());
    }

    private static double restore(int services, int monitorCount) {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().build().start();
             StyxConnector connector = connector(registry, vertx);
             RegistryManager m = RegistryManagers.create(connector, ManagerOptions.builder().vertx(vertx).build())) {
            long[] fromStart = BenchSupport.measureRestores(registry, m, services, monitorCount, RESTARTS).fromStart();
            double median = BenchSupport.median(fromStart) / 1e6;
            System.out.printf("restore %,6d services %3d monitors: median %.1f ms after start() returned, runs %s ms%n",
                    services, monitorCount, median, BenchSupport.millis(fromStart));
            return median;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }


    /** @return median ms from another client's registration to added() with {@code background} services registered */
    private static double latency(int background) throws Exception {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().build().start();
             StyxConnector connector = connector(registry, vertx);
             RegistryManager m = RegistryManagers.create(connector, ManagerOptions.builder().vertx(vertx).build());
             StyxConnector other = connector(registry, vertx)) {
            RegistrySession session = BenchSupport.session(other);
            for (int i = 0; i < background; i++) {
                session.register(ServiceEntry.of("bg" + i, "kind", "app"), RegistrationListener.NONE);
            }
            BlockingQueue<Long> added = new ArrayBlockingQueue<>(4);
            BlockingQueue<Long> removed = new ArrayBlockingQueue<>(4);
            Monitor mon = m.monitor(Filter.of("kind", "latency"), new MonitorListener() {
                @Override
                public void added(ServiceEntry service, ChangeOrigin origin) {
                    added.add(System.nanoTime());
                }

                @Override
                public void removed(ServiceEntry service, ChangeOrigin origin) {
                    removed.add(System.nanoTime());
                }
            });
            BenchSupport.waitFor(() -> mon.isSynced() && registry.services().size() >= background);
            int samples = 220;
            long[] latency = new long[samples];
            for (int i = 0; i < samples; i++) {
                long t0 = System.nanoTime();
                Registration r = session.register(ServiceEntry.of("lat" + i, "kind", "latency"), RegistrationListener.NONE)
                        .toCompletableFuture().join();
                latency[i] = added.poll(10, TimeUnit.SECONDS) - t0;
                r.unregister().toCompletableFuture().join();
                removed.poll(10, TimeUnit.SECONDS);
            }
            long[] warm = Arrays.copyOfRange(latency, 20, latency.length);
            Arrays.sort(warm);
            double p50 = BenchSupport.median(warm) / 1e6;
            System.out.printf("latency with %,6d services: registration by another client -> added(): p50 %.2f ms, "
                    + "p90 %.2f ms (%d samples after 20 warm-up)%n", background, p50, warm[(int) (warm.length * 0.9)] / 1e6,
                    warm.length);
            return p50;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static void throughput(int services) {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().build().start();
             StyxConnector connector = connector(registry, vertx);
             RegistryManager m = RegistryManagers.create(connector, ManagerOptions.builder().vertx(vertx).build())) {
            BenchSupport.waitFor(() -> m.status().isConnected());
            long[] runs = new long[3];
            for (int run = 0; run < runs.length; run++) {
                List<ServiceRegistration> regs = new ArrayList<>(services);
                long t0 = System.nanoTime();
                for (int i = 0; i < services; i++) {
                    regs.add(m.register(ServiceEntry.of("r" + run + "-" + i, "kind", "app")));
                }
                BenchSupport.waitFor(() -> regs.stream().allMatch(r -> r.status().state() == RegistrationState.REGISTERED));
                runs[run] = System.nanoTime() - t0;
                regs.forEach(m::detach);
                BenchSupport.waitFor(() -> registry.services().isEmpty());
            }
            System.out.printf("throughput: %,d services registered through the manager: median %.0f ms, runs %s ms%n",
                    services, BenchSupport.median(runs) / 1e6, BenchSupport.millis(runs));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static void fanOut(int monitorCount) {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().build().start();
             StyxConnector connector = connector(registry, vertx);
             RegistryManager m = RegistryManagers.create(connector, ManagerOptions.builder().vertx(vertx).build());
             StyxConnector other = connector(registry, vertx)) {
            AtomicInteger calls = new AtomicInteger();
            List<Monitor> monitors = new ArrayList<>();
            for (int i = 0; i < monitorCount; i++) {
                monitors.add(m.monitor(Filter.of("kind", "fan"), new MonitorListener() {
                    @Override
                    public void added(ServiceEntry service, ChangeOrigin origin) {
                        calls.incrementAndGet();
                    }

                    @Override
                    public void removed(ServiceEntry service, ChangeOrigin origin) {
                        calls.incrementAndGet();
                    }
                }));
            }
            BenchSupport.waitFor(() -> monitors.stream().allMatch(Monitor::isSynced));
            RegistrySession session = BenchSupport.session(other);
            int changes = 20;
            long[] times = new long[changes];
            long[] reads = new long[changes];
            for (int i = 0; i < changes; i++) {
                RegistryCounters c = registry.counters();
                long r0 = c.indexReads() + c.findReads();
                int target = calls.get() + monitorCount;
                long t0 = System.nanoTime();
                Registration r = session.register(ServiceEntry.of("fan" + i, "kind", "fan"), RegistrationListener.NONE)
                        .toCompletableFuture().join();
                BenchSupport.waitFor(() -> calls.get() >= target);
                times[i] = System.nanoTime() - t0;
                reads[i] = c.indexReads() + c.findReads() - r0;
                int gone = calls.get() + monitorCount;
                r.unregister().toCompletableFuture().join();
                BenchSupport.waitFor(() -> calls.get() >= gone);
            }
            System.out.printf("fan-out: %,d monitors, one registration: index reads per change %s; all listeners ran: "
                    + "median %.2f ms, runs %s ms%n", monitorCount, Arrays.toString(reads), BenchSupport.median(times) / 1e6, BenchSupport.millis(times));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static void memory(int count) {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedRegistry registry = EmbeddedRegistry.builder().build().start();
             StyxConnector connector = connector(registry, vertx);
             RegistryManager m = RegistryManagers.create(connector, ManagerOptions.builder().vertx(vertx).build());
             StyxConnector other = connector(registry, vertx)) {
            BenchSupport.waitFor(() -> m.status().isConnected());
            // the registry lives in this JVM too: measure the client's part by subtracting the registry's growth
            long base = heapAfterGc();
            List<ServiceRegistration> regs = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                regs.add(m.register(ServiceEntry.of("mem" + i, "kind", "app", "n", Integer.toString(i))));
            }
            BenchSupport.waitFor(() -> regs.stream().allMatch(r -> r.status().state() == RegistrationState.REGISTERED));
            long withRegistered = heapAfterGc();
            regs.forEach(m::detach);
            regs.clear();
            BenchSupport.waitFor(() -> registry.services().isEmpty());
            RegistrySession session = BenchSupport.session(other);
            for (int i = 0; i < count; i++) {
                session.register(ServiceEntry.of("obs" + i, "kind", "app", "n", Integer.toString(i)), RegistrationListener.NONE);
            }
            BenchSupport.waitFor(() -> registry.services().size() == count);
            long registryOnly = heapAfterGc();
            Monitor mon = m.monitor(Filter.of("kind", "app"), new MonitorListener() { });
            BenchSupport.waitFor(() -> mon.isSynced() && mon.view().size() == count);
            long withMonitored = heapAfterGc();
            System.out.printf("memory: %,d registered services: %.0f bytes each (heap after GC, registry's share "
                    + "included); %,d monitored services: %.0f bytes each (registry's share excluded)%n", count,
                    (withRegistered - base) / (double) count, count, (withMonitored - registryOnly) / (double) count);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void chart(double[] restore, double[] latency, File file) throws IOException {
        int w = 720;
        int h = 360;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        panel(g, 20, "restore after restart, 10 monitors (ms)", restore, new Color(0x1f77b4));
        panel(g, 380, "change -> listener p50 (ms)", latency, new Color(0xd62728));
        g.dispose();
        File dir = file.getAbsoluteFile().getParentFile();
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IOException("cannot create " + dir);
        }
        ImageIO.write(img, "png", file);
        System.out.println("chart: " + file);
    }

    private static void panel(Graphics2D g, int x0, String title, double[] values, Color color) {
        int left = x0 + 40;
        int top = 40;
        int width = 280;
        int height = 250;
        double max = Arrays.stream(values).max().orElse(1) * 1.15;
        g.setColor(Color.BLACK);
        g.drawString(title + " by services (9P)", x0, 20);
        g.drawLine(left, top, left, top + height);
        g.drawLine(left, top + height, left + width, top + height);
        g.drawString(String.format("%.1f", max), x0, top + 5);
        g.drawString("0", x0 + 25, top + height);
        g.setStroke(new BasicStroke(2));
        int prevX = -1;
        int prevY = -1;
        for (int i = 0; i < values.length; i++) {
            int x = left + 30 + i * (width - 60) / Math.max(1, values.length - 1);
            int y = top + height - (int) (values[i] / max * height);
            g.setColor(color);
            g.fillOval(x - 4, y - 4, 8, 8);
            if (prevX >= 0) {
                g.drawLine(prevX, prevY, x, y);
            }
            g.setColor(Color.BLACK);
            g.drawString(String.format("%,d", CHART_SERVICES[i]), x - 15, top + height + 18);
            g.drawString(String.format("%.2f", values[i]), x + 6, y - 6);
            prevX = x;
            prevY = y;
        }
    }



}
