package io.regmgr.runtime.server;

import io.regmgr.InvalidEntryException;
import io.regmgr.RegistryException;
import io.regmgr.runtime.auth.KeyFiles;
import io.regmgr.runtime.auth.KeyTool;
import io.regmgr.runtime.protocol.DialAddress;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;

/**
 * Runs an {@link EmbeddedRegistry} from the command line until SIGTERM or Ctrl-C:
 *
 * <pre>
 * java -jar runtime/target/regmgr-registry.jar [--styx ADDR] [--bridge ADDR|off] [-f FILE] [--user NAME]
 *     [--profile default|exported|direct] [--cost-model off|inferno]
 *     [--key FILE [-a ALG]...]
 * java -jar runtime/target/regmgr-registry.jar createsignerkey|mkauthinfo ...
 * </pre>
 *
 * <p>The usage text names the command from {@value #COMMAND_PROPERTY} (the build's script passes its
 * own path), by default {@value #DEFAULT_COMMAND}. A usage error prints its reason and
 * {@value #SEE_HELP} (exit status 2); {@code --help} prints the whole text. Everything else the
 * launcher prints to stderr is in {@link LauncherLogging}'s line format.
 */
public final class RegistryLauncher {
    static final String DEFAULT_STYX = "tcp!127.0.0.1!6675";
    static final String DEFAULT_BRIDGE = "tcp!127.0.0.1!6701";

    /**
     * The system property naming the command that started the launcher, for its usage text: the
     * build's script sets it to its own path; default {@value #DEFAULT_COMMAND}.
     */
    static final String COMMAND_PROPERTY = "regmgr.launcher.command";
    static final String DEFAULT_COMMAND = "java -jar regmgr-registry.jar";
    /** The one line after a usage error's reason (the whole text is for {@code --help}). */
    static final String SEE_HELP = "run with --help for the options";

    private static final String OPTIONS = String.join(System.lineSeparator(),
            " [--styx ADDR] [--bridge ADDR|off] [-f FILE] [--user NAME]",
            "           [--profile default|exported|direct] [--cost-model off|inferno] [--key FILE [-a ALG]...]",
            "",
            "An Inferno registry(4), served over 9P2000 and over the line bridge (reg2tcp).",
            "",
            "  --styx ADDR     where to serve 9P2000 (default " + DEFAULT_STYX + ")",
            "  --bridge ADDR   the line bridge's new port; find and event follow at +1 and +2",
            "                  (default " + DEFAULT_BRIDGE + "); 'off' disables the bridge",
            "  -f FILE         static services from an attrdb(6) file (service=NAME attr=value ...)",
            "  --user NAME     the registry's own user: owner of its files, of static services and",
            "                  of bridge registrations (default registry)",
            "  --profile NAME  behave like a kind of real registry: default (well-behaved),",
            "                  exported (behind export/styxlisten -A, defects included),",
            "                  direct (9P straight into ndb/registry, msize 8216)",
            "  --key FILE      require Inferno authentication on 9P with this key file (as listen -k);",
            "                  the authenticated name owns what each client registers",
            "  -a ALG          a record algorithm word clients may use (repeatable, as listen -a);",
            "                  default: none and every cipher and hash, as a stock listen",
            "  --cost-model M  off (default), or inferno: a SIMULATION of a real registry's costs for",
            "                  benchmarks (one request at a time, 0.25 ms each + 5.7 us per line formatted,",
            "                  replies 1.05 ms later; a bridge find's answer 5.5 ms later)",
            "  -h, --help      this text",
            "",
            "Key tools (write Inferno's key file format, mode 600):",
            KeyTool.USAGE,
            "",
            "ADDR is an Inferno dial string (tcp!host!port, tcp!*!port, tcp!host!registry) or host:port.");

    private RegistryLauncher() {
    }

    /**
     * The usage text, naming the command as the user typed it.
     *
     * @param command how the launcher was started ({@link #COMMAND_PROPERTY})
     * @return the {@code --help} text
     */
    static String usage(String command) {
        return "usage: " + command + OPTIONS;
    }

    private static String command() {
        String command = System.getProperty(COMMAND_PROPERTY);
        return command == null || command.isBlank() ? DEFAULT_COMMAND : command;
    }

    /**
     * Starts the registry and waits for SIGTERM. Exit status 2 on a usage error, 1 if the registry
     * cannot start.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        StartupTrace.mark("main");
        configureProcess();
        EmbeddedRegistry registry;
        try {
            registry = launch(args, System.out);
        } catch (IllegalArgumentException e) {
            // a usage error is an answer to the command line, not a log line: said as command-line tools say it
            System.err.println("registry: " + e.getMessage());
            System.err.println(SEE_HELP);
            System.exit(2);
            return;
        } catch (RegistryException e) {
            LauncherLogging.print(Level.SEVERE, RegistryLauncher.class.getName(), "registry cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (registry == null) {
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(stopHook(registry, stopped));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The shutdown hook that stops the registry on SIGTERM or Ctrl-C. Made (not registered) by the
     * training run too ({@link StartupTraining}), so that its lambda is in the start-up caches
     * instead of being spun while the first clients are answered.
     *
     * @param registry the running registry
     * @param stopped counted down once the registry is closed
     * @return the hook, not started
     */
    static Thread stopHook(EmbeddedRegistry registry, CountDownLatch stopped) {
        return new Thread(() -> {
            // JUL resets its handlers in its own shutdown hook, so these go straight to stderr, in its format.
            LauncherLogging.print(Level.INFO, RegistryLauncher.class.getName(), "registry stopping");
            registry.close();
            LauncherLogging.print(Level.INFO, RegistryLauncher.class.getName(), "registry stopped");
            stopped.countDown();
        }, "registry-shutdown");
    }

    /**
     * Sets what this process (the registry alone in its JVM) needs before anything starts, unless
     * the command line set it, each to keep work off the start path (docs/benchmarks.md, "Start and
     * restart"):
     * <ul>
     * <li>java.util.logging configured by {@link LauncherLogging} (one line per record to stderr, no
     *     properties file, console handler or date formatting), unless {@code java.util.logging.config.file},
     *     {@code .config.class} or {@code java.util.logging.SimpleFormatter.format} is given;</li>
     * <li>Vert.x's JDK name resolver instead of its DNS client, whose set-up (resolv.conf, network
     *     interfaces, ~45 classes) would cost start time for nothing, since the registry resolves
     *     only the addresses it listens on;</li>
     * <li>Vert.x and Netty logging straight to java.util.logging, without looking for SLF4J and Log4j
     *     first (classes the start-up caches cannot hold, since they are not there);</li>
     * <li>reflection through the JVM's native accessors ({@code jdk.reflect.useNativeAccessorOnly}):
     *     Vert.x and Netty call a dozen JDK methods reflectively while they start (virtual threads,
     *     the cleaner, the process id), and on JDK 18 or later each first call spins method-handle
     *     classes that no cache keeps; the registry makes no reflective call after its start;</li>
     * <li>Netty's pooled buffers in chunks of 1 MiB ({@code io.netty.allocator.maxOrder=7}) instead of
     *     4 MiB: the first read allocates a chunk, and the JDK zeroes a direct buffer as it makes it
     *     (768 page faults fewer before the first answer). A 9P reply is at most the negotiated msize,
     *     far below a chunk; a larger write (a bridge find in a big registry) gets a buffer of its
     *     own, as one above 4 MiB did before.</li>
     * </ul>
     */
    static void configureProcess() {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            setIfAbsent("java.util.logging.config.class", LauncherLogging.class.getName());
        }
        setIfAbsent("vertx.disableDnsResolver", "true");
        setIfAbsent("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.JULLogDelegateFactory");
        setIfAbsent("jdk.reflect.useNativeAccessorOnly", "true");
        setIfAbsent("io.netty.allocator.maxOrder", "7");
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /**
     * Parses the command line and starts a registry.
     *
     * @param args the command line
     * @param out where {@code --help} prints
     * @return the running registry, or null after {@code --help}
     * @throws IllegalArgumentException for a usage error, naming the option
     * @throws RegistryException if the registry cannot start (a port taken, a bad static file)
     */
    static EmbeddedRegistry launch(String[] args, PrintStream out) {
        if (args.length > 0 && KeyTool.isTool(args[0])) {
            KeyTool.run(args, out);
            return null;
        }
        Path key = null;
        List<String> algorithms = new ArrayList<>();
        EmbeddedRegistry.Builder builder = EmbeddedRegistry.builder().styx(DEFAULT_STYX).bridge(DEFAULT_BRIDGE);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                out.println(usage(command()));
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(known(option) ? option + " needs a value" : "unknown option " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--styx":
                    builder.styx(checkAddress(option, value));
                    break;
                case "--bridge":
                    builder.bridge(value.equals("off") ? value : checkAddress(option, value));
                    break;
                case "-f":
                    builder.staticServices(Path.of(value));
                    break;
                case "--user":
                    builder.user(value);
                    break;
                case "--profile":
                    builder.profile(RegistryProfile.parse(value));
                    break;
                case "--key":
                    key = Path.of(value);
                    break;
                case "-a":
                    algorithms.add(value);
                    break;
                case "--cost-model":
                    builder.costModel(CostModel.parse(value));
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (key != null) {
            builder.authentication(KeyFiles.read(key), algorithms);
        } else if (!algorithms.isEmpty()) {
            throw new IllegalArgumentException("-a needs --key: without a key there is no authentication");
        }
        EmbeddedRegistry registry = builder.build();
        StartupTrace.mark("options");
        try {
            registry.start();
            StartupTrace.mark("serving logged");
            StartupTrace.report();
            return registry;
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** A malformed address (e.g. a port above 65535) is a usage error, not a failure to start. */
    private static String checkAddress(String option, String value) {
        try {
            DialAddress.parse(value);
            return value;
        } catch (InvalidEntryException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    private static boolean known(String option) {
        return List.of("--styx", "--bridge", "-f", "--user", "--profile", "--cost-model", "--key", "-a").contains(option);
    }
}
