package io.regmgr.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged standalone registry, run as the README runs it, {@code runtime/target/regmgr-registry}
 * (the script the build writes beside the jar, src/build/make-launcher.sh), and as
 * {@code java -jar regmgr-registry.jar} with and without the class-data-sharing archive. Runs after
 * {@code package} (failsafe), as real processes on ports chosen by the OS. Each cache or archive is
 * used with the JVM told to refuse one it cannot use, so that one made for another jar or JVM fails
 * here instead of silently costing the start time. No timings: the figures are in
 * {@code bash bench/run.sh startup}.
 */
@Timeout(120)
class RegistryJarIT {
    private static final Path JAR = Path.of("target", "regmgr-registry.jar");
    private static final Path ARCHIVE = Path.of("target", "regmgr-registry.jsa");
    private static final String SCRIPT = Path.of("target", "regmgr-registry").toString();
    private static final Path AOT_CACHE = Path.of("target", "regmgr-registry.aot");
    private static final String[] ON_FREE_PORTS = {"--styx", "tcp!127.0.0.1!0", "--bridge", "tcp!127.0.0.1!0"};
    private static final String CLASS_LOG = "-Xlog:class+load=info:stdout:tags";

    private RegistryProcess registry;

    @AfterEach
    void kill() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theJarStartsOnAPortChosenByTheOsAnswersTversionAndStopsOnSigterm() {
        registry = RegistryProcess.launch(JAR, List.of(), ON_FREE_PORTS);

        assertAnswersTversion(registry.awaitStyxPort(60));
        assertThat(registry.stop(30)).as("exit status after SIGTERM (128 + 15)").isEqualTo(143);
        assertThat(registry.output()).as("what the launcher printed")
                .containsPattern(logLine("RegistryLauncher", "registry stopping"))
                .containsPattern(logLine("RegistryLauncher", "registry stopped"));
    }

    @Test
    void theBuildsClassDataSharingArchiveMatchesTheJarAndTheJvm() {
        assertThat(ARCHIVE).as("the archive made at package time (-Dregmgr.cds.skip unset)").exists();
        assertThat(ARCHIVE.toFile().length()).as("archive size").isGreaterThan(1_000_000L);

        // -Xshare:on: the JVM refuses to start unless it can map the archive (same jar, same JVM)
        registry = RegistryProcess.launch(JAR, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + ARCHIVE,
                CLASS_LOG), ON_FREE_PORTS);

        assertAnswersTversion(registry.awaitStyxPort(60));
        assertThat(loadedFrom(registry, "io.regmgr.runtime.server.EmbeddedRegistry"))
                .as("where EmbeddedRegistry came from").contains("shared objects file (top)");
    }

    @Test
    void theArchiveAndItsLogAreWrittenBesideTheJar() throws Exception {
        assertThat(Files.readString(Path.of("target", "regmgr-registry.jsa.log")))
                .as("the training run's output").contains("registry serving 9P2000 on tcp!127.0.0.1!")
                .doesNotContain("training failed");
    }

    @Test
    void theScriptStartsTheRegistryOnAPortChosenByTheOsAndItStopsOnSigterm() {
        registry = RegistryProcess.start(List.of(SCRIPT), ON_FREE_PORTS);

        assertAnswersTversion(registry.awaitStyxPort(60));
        assertThat(registry.stop(30)).as("exit status after SIGTERM (128 + 15): the script exec'd the JVM").isEqualTo(143);
        assertThat(registry.output()).as("what the registry printed")
                .doesNotContain("WARNING") // neither a cache that does not fit nor JDK 25's sun.misc.Unsafe notices
                .containsPattern(logLine("EmbeddedRegistry", "registry serving 9P2000 on tcp!127\\.0\\.0\\.1!\\d+"))
                .containsPattern(logLine("RegistryLauncher", "registry stopping"))
                .containsPattern(logLine("RegistryLauncher", "registry stopped"));
        assertThat(registry.output().lines()).as("every line the launcher printed, in the one format (milliseconds, UTC)")
                .allMatch(l -> Pattern.compile(logLine("\\w+", ".*")).matcher(l).matches());
    }

    @Test
    void aUsageErrorPrintsItsReasonAndOneLineAboutHelpAndExitsWithStatus2() {
        registry = RegistryProcess.start(List.of(SCRIPT), "--profile", "bogus");

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !registry.isAlive());
        assertThat(registry.stop(30)).as("exit status after a usage error").isEqualTo(2);
        assertThat(registry.output().lines()).as("what the launcher printed")
                .containsExactly("registry: profile 'bogus' is not one of default, exported, direct",
                        "run with --help for the options");
    }

    @Test
    void theScriptsHelpNamesTheScriptAsTheUserRanIt() {
        registry = RegistryProcess.start(List.of(SCRIPT), "--help");

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !registry.isAlive());
        assertThat(registry.stop(30)).as("exit status after --help").isZero();
        assertThat(registry.output()).as("the usage line").startsWith("usage: " + SCRIPT + " [--styx ADDR]")
                .contains("--profile NAME");
    }

    @Test
    void withTheStartupTraceTheLauncherPrintsEachStepOfItsStartInOrder() {
        registry = RegistryProcess.start(withJavaOptions("-Dregmgr.startup.trace"), ON_FREE_PORTS);

        assertAnswersTversion(registry.awaitStyxPort(60));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> registry.output().contains("startup trace"));
        Matcher trace = Pattern.compile("StartupTrace: startup trace, ms since the JVM was created: main (-?\\d+), options (\\d+), "
                + "Vert\\.x (\\d+), listening (\\d+), serving logged (\\d+); the JVM was created at \\d+ ms since the epoch")
                .matcher(registry.output());
        assertThat(trace.find()).as("the trace line in:\n" + registry.output()).isTrue();
        for (int step = 2; step <= 5; step++) {
            assertThat(Long.parseLong(trace.group(step))).as("step " + step + " after the one before")
                    .isGreaterThanOrEqualTo(Long.parseLong(trace.group(step - 1)));
        }
    }

    @Test
    void withTheAheadOfTimeCacheNoClassOnTheStartPathComesFromTheJar() {
        assumeTrue(Files.exists(AOT_CACHE), "the build found no JDK 25 or later: the script uses the archive only");
        registry = RegistryProcess.start(withJavaOptions("-XX:AOTMode=on " + CLASS_LOG), ON_FREE_PORTS);

        assertAnswersTversion(registry.awaitStyxPort(60));
        String output = registry.output();
        String startPath = output.substring(0, output.indexOf("registry serving 9P2000"));
        assertThat(startPath.lines().filter(l -> l.contains("source: jar:") || l.contains("source: file:")))
                .as("classes read from the jar before the registry served: the training (StartupTraining) missed them")
                .isEmpty();
    }

    @Test
    void withAJdk25FoundAtBuildTimeTheScriptStartsItWithTheAheadOfTimeCacheMadeForIt() {
        assumeTrue(Files.exists(AOT_CACHE), "the build found no JDK 25 or later: the script uses the archive only");

        // -XX:AOTMode=on: the JVM refuses to start unless it can use the cache (same jar, same JVM, same options)
        registry = RegistryProcess.start(withJavaOptions("-XX:AOTMode=on " + CLASS_LOG), ON_FREE_PORTS);

        assertAnswersTversion(registry.awaitStyxPort(60));
        assertThat(loadedFrom(registry, "io.regmgr.runtime.server.EmbeddedRegistry"))
                .as("where EmbeddedRegistry came from").contains("shared objects file");
    }

    @Test
    void withRegmgrNoAotTheScriptStartsJavaOnThePathWithTheClassDataSharingArchive() {
        // -Xshare:on: the JVM refuses to start unless it can map the archive
        List<String> command = new ArrayList<>(List.of("env", "REGMGR_NO_AOT=1"));
        command.addAll(withJavaOptions("-Xshare:on " + CLASS_LOG));
        registry = RegistryProcess.start(command, ON_FREE_PORTS);

        assertAnswersTversion(registry.awaitStyxPort(60));
        assertThat(loadedFrom(registry, "io.regmgr.runtime.server.EmbeddedRegistry"))
                .as("where EmbeddedRegistry came from").contains("shared objects file (top)");
    }

    @Test
    void theScriptStartsThroughASymbolicLinkAndWithoutAnArchiveThatIsNotTheSizeTheBuildMade(@TempDir Path dir)
            throws Exception {
        // A copy of what the build wrote, reached through a link (as one on the PATH), its archive truncated:
        // JDK 17 dies with SIGBUS on a truncated archive, so the script must leave it out.
        Path copy = copyOfTheBuildsFiles(dir, "regmgr-registry.jsa");
        byte[] archive = Files.readAllBytes(copy.resolve("regmgr-registry.jsa"));
        Files.write(copy.resolve("regmgr-registry.jsa"), Arrays.copyOf(archive, 100_000));
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("bin")).resolve("regmgr-registry"),
                copy.resolve("regmgr-registry"));

        registry = RegistryProcess.start(List.of("env", "REGMGR_NO_AOT=1", link.toString()), ON_FREE_PORTS);

        assertAnswersTversion(registry.awaitStyxPort(60));
        assertThat(registry.output()).as("what the script printed")
                .contains("regmgr-registry.jsa is missing or not the size the build made: starting without it");
    }

    @Test
    void theScriptStartsWithoutAnArchiveOfTheRightSizeDamagedAfterTheBuild(@TempDir Path dir) throws Exception {
        // What the breaker found (D3): 64 bytes in the middle overwritten, the size unchanged, crashed or hung JDK 17
        Path copy = copyOfTheBuildsFiles(dir, "regmgr-registry.jsa");
        damage(copy.resolve("regmgr-registry.jsa"), Files.size(copy.resolve("regmgr-registry.jsa")) / 2, 64, (byte) 0xff);

        registry = RegistryProcess.start(List.of("env", "REGMGR_NO_AOT=1", copy.resolve("regmgr-registry").toString()),
                ON_FREE_PORTS);

        assertStartsWithoutTheDamagedFile(copy.resolve("regmgr-registry.jsa"));
    }

    @Test
    void theScriptStartsWithoutAnAheadOfTimeCacheOfTheRightSizeDamagedAfterTheBuild(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(AOT_CACHE), "the build found no JDK 25 or later: the script uses the archive only");
        // What the breaker found (D3): the last 4 KiB zeroed (a crash while writing), the size unchanged
        Path copy = copyOfTheBuildsFiles(dir, "regmgr-registry.jsa", "regmgr-registry.aot");
        Path cache = copy.resolve("regmgr-registry.aot");
        damage(cache, Files.size(cache) - 4096, 4096, (byte) 0);

        registry = RegistryProcess.start(List.of(copy.resolve("regmgr-registry").toString()), ON_FREE_PORTS);

        assertStartsWithoutTheDamagedFile(cache);
    }

    @Test
    void aCollectorInRegmgrJavaOptsReplacesTheScriptsSerialCollectorAndTheCacheStillLoads() {
        // D4: the JVM refused two collectors ("Multiple garbage collectors selected")
        String cacheOn = Files.exists(AOT_CACHE) ? "-XX:AOTMode=on " : "";
        // words apart by a tab too, as java gets them (our second breaker: a tab hid the collector)
        registry = RegistryProcess.start(withJavaOptions("-Xmx256m\t-XX:+UseG1GC -Xlog:gc=info:stdout " + cacheOn + CLASS_LOG),
                ON_FREE_PORTS);

        assertAnswersTversion(registry.awaitStyxPort(60));
        assertThat(registry.output()).as("what the JVM printed").contains("Using G1")
                .doesNotContain("Multiple garbage collectors");
        assertThat(loadedFrom(registry, "io.regmgr.runtime.server.EmbeddedRegistry"))
                .as("where EmbeddedRegistry came from (the cache, or the archive without a JDK 25)")
                .contains("shared objects file");
    }

    /** A copy of the script, the jar, the build's stamp and the named caches, their times kept, in dir/registry. */
    private static Path copyOfTheBuildsFiles(Path dir, String... caches) throws Exception {
        Path copy = Files.createDirectories(dir.resolve("registry"));
        List<String> names = new ArrayList<>(List.of("regmgr-registry", "regmgr-registry.jar", "regmgr-registry.stamp"));
        names.addAll(List.of(caches));
        for (String name : names) {
            Files.copy(Path.of("target", name), copy.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
        }
        return copy;
    }

    /** Overwrites length bytes of file at offset with value, in place: the size stays, the mtime moves on. */
    private static void damage(Path file, long offset, int length, byte value) throws Exception {
        file.toFile().setWritable(true);
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    /** Starts within a bounded time (no crash, no hang), answers, says which file it left out, and stops on SIGTERM. */
    private void assertStartsWithoutTheDamagedFile(Path file) {
        assertAnswersTversion(registry.awaitStyxPort(60));
        assertThat(registry.output()).as("what the script printed")
                .contains("registry: " + file + " was written after the build (newer than regmgr-registry.stamp: "
                        + "damaged or replaced): starting without it (slower)")
                .doesNotContain("hs_err");
        assertThat(registry.stop(30)).as("exit status after SIGTERM (128 + 15)").isEqualTo(143);
    }

    /** A line in the launcher's log format: UTC to the millisecond, INFO, the class in io.regmgr.runtime.server. */
    private static String logLine(String simpleClassName, String messageRegex) {
        return "(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO io\\.regmgr\\.runtime\\.server\\."
                + simpleClassName + ": " + messageRegex;
    }

    private static List<String> withJavaOptions(String options) {
        return List.of("env", "REGMGR_JAVA_OPTS=" + options, SCRIPT);
    }

    private static String loadedFrom(RegistryProcess process, String className) {
        return process.output().lines().filter(l -> l.contains(" " + className + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(className + " not in the class-load log:\n" + process.output()));
    }

    private static void assertAnswersTversion(int port) {
        try (StyxTestClient client = StyxTestClient.connect(port)) {
            assertThat(client.version(8216)).as("reply to Tversion").isInstanceOf(Rversion.class);
        }
    }
}
