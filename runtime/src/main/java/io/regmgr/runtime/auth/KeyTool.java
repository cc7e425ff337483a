package io.regmgr.runtime.auth;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The key tools of the launcher jar, for shops without Inferno; they write Inferno's format, so
 * the files work with a real Inferno too, owner-readable only:
 *
 * <pre>
 * createsignerkey [-a rsa|elgamal] [-b BITS] [-e DDMMYYYY] -f FILE NAME
 * mkauthinfo -k SIGNERFILE [-e DDMMYYYY] -f FILE USER
 * </pre>
 *
 * An expiry date becomes that day at the current time of day (UTC) plus 60 s, as Inferno's
 * {@code mkauthinfo} does; it must be in the future. Stateless.
 */
public final class KeyTool {
    /** Usage of both tools. */
    public static final String USAGE = String.join(System.lineSeparator(),
            "  createsignerkey [-a rsa|elgamal] [-b BITS] [-e DDMMYYYY] -f FILE NAME",
            "      a signer's key file (default rsa, 1024 bits, no expiry), like Inferno's auth/createsignerkey",
            "  mkauthinfo -k SIGNERFILE [-e DDMMYYYY] -f FILE USER",
            "      USER's key file signed by the signer, like Inferno's auth/mkauthinfo");

    private KeyTool() {
    }

    /** @return whether {@code command} is one of the key tools */
    public static boolean isTool(String command) {
        return command.equals("createsignerkey") || command.equals("mkauthinfo");
    }

    /**
     * Runs one tool.
     *
     * @param args the tool's name, then its options and name
     * @param out where the result is reported
     * @throws IllegalArgumentException for a usage error, naming the option and the rule
     */
    public static void run(String[] args, PrintStream out) {
        Options o = Options.parse(args);
        SecureRandom random = new SecureRandom();
        KeyFile made;
        if (args[0].equals("createsignerkey")) {
            SignatureAlg a = SignatureAlg.named(o.alg, "createsignerkey: unknown algorithm");
            if (a == SignatureAlg.DSA) {
                throw new IllegalArgumentException("createsignerkey: unknown algorithm: dsa (Inferno's dsa is broken)");
            }
            made = KeyGen.signer(a, o.name, o.bits, o.expires, random);
        } else {
            if (o.signer == null) {
                throw new IllegalArgumentException("mkauthinfo: needs -k SIGNERFILE");
            }
            made = KeyGen.user(KeyFiles.read(Path.of(o.signer)), o.name, o.expires, random);
        }
        KeyFiles.write(Path.of(o.file), made);
        out.println(args[0] + ": wrote " + made + " to " + o.file + " (mode 600)");
    }

    /** A tool's command line. */
    private static final class Options {
        String alg = "rsa";
        int bits = 1024;
        long expires;
        String file;
        String signer;
        String name;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> names = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("-")) {
                    names.add(a);
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[0] + ": " + a + " needs a value");
                }
                o.set(args[0], a, args[++i]);
            }
            if (names.size() != 1 || o.file == null) {
                throw new IllegalArgumentException(args[0] + ": needs -f FILE and exactly one name");
            }
            o.name = names.get(0);
            return o;
        }

        private void set(String tool, String option, String v) {
            switch (option) {
                case "-a" -> alg = v;
                case "-b" -> bits = bits(v);
                case "-e" -> expires = expiry(v, System.currentTimeMillis() / 1000);
                case "-f" -> file = v;
                case "-k" -> signer = v;
                default -> throw new IllegalArgumentException(tool + ": unknown option " + option);
            }
        }
    }

    private static int bits(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-b '" + v + "' is not a number of bits", e);
        }
    }

    /**
     * @param date {@code ddmmyyyy}
     * @param now seconds since 1970
     * @return that day at the current time of day (UTC) plus 60 s, in seconds since 1970
     * @throws IllegalArgumentException for a date that is not {@code ddmmyyyy} or has passed
     */
    static long expiry(String date, long now) {
        LocalDate day;
        try {
            // made here, not in a static field: the registry launcher initialises this class at every start
            day = LocalDate.parse(date, DateTimeFormatter.ofPattern("ddMMuuuu"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("-e '" + date + "' is not a date written ddmmyyyy", e);
        }
        LocalTime time = LocalTime.ofSecondOfDay(now % 86_400);
        long at = day.atTime(time).toEpochSecond(ZoneOffset.UTC) + 60;
        if (day.atStartOfDay().toLocalDate().isBefore(LocalDate.ofEpochDay(now / 86_400))) {
            throw new IllegalArgumentException("-e " + date + ": expiry date has already passed");
        }
        return at;
    }
}
