package io.regmgr.runtime.protocol;

import io.regmgr.InvalidEntryException;

import java.util.Map;
import java.util.Objects;

/**
 * A TCP address written as an Inferno dial string ({@code tcp!host!port}, {@code net!host!port},
 * {@code tcp!host!registry}, {@code tcp!*!6675} on listeners) or as {@code host:port}
 * ({@code [::1]:6675} for IPv6). Immutable.
 *
 * @param host a host name or literal address; {@code 0.0.0.0} for Inferno's {@code *}
 * @param port a TCP port, 0 to let the OS choose (listeners only)
 */
public record DialAddress(String host, int port) {
    /** Inferno's port number for {@code registry}. */
    public static final int REGISTRY_PORT = 6675;

    private static final Map<String, Integer> SERVICES = Map.of("registry", REGISTRY_PORT);

    /**
     * @throws InvalidEntryException if the port is out of range or the host is empty
     */
    public DialAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new InvalidEntryException("Invalid address: empty host");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidEntryException("Invalid address " + host + ": port " + port + " is not in 0..65535");
        }
    }

    /**
     * Parses a dial string or {@code host:port}.
     *
     * @param text e.g. {@code tcp!127.0.0.1!6675}, {@code net!reg.example!registry}, {@code localhost:6701}
     * @return the address
     * @throws InvalidEntryException naming the text and what is wrong with it
     */
    public static DialAddress parse(String text) {
        Objects.requireNonNull(text, "address");
        String t = text.trim();
        if (t.indexOf('!') >= 0) {
            String[] parts = t.split("!", -1);
            if (parts.length != 3 || !(parts[0].equals("tcp") || parts[0].equals("net"))) {
                throw new InvalidEntryException("Invalid dial string '" + text
                        + "': expected tcp!host!port or net!host!port");
            }
            String host = parts[1].equals("*") ? "0.0.0.0" : parts[1];
            return new DialAddress(host, port(text, parts[2]));
        }
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new InvalidEntryException("Invalid address '" + text + "': expected host:port or tcp!host!port");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new InvalidEntryException("Invalid address '" + text + "': write an IPv6 host in brackets, [::1]:6675");
        }
        return new DialAddress(host, port(text, t.substring(colon + 1)));
    }

    private static int port(String text, String port) {
        Integer known = SERVICES.get(port);
        if (known != null) {
            return known;
        }
        try {
            int p = Integer.parseInt(port);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below with the rule
        }
        throw new InvalidEntryException("Invalid address '" + text + "': port '" + port
                + "' is neither a number in 0..65535 nor a known service name " + SERVICES.keySet());
    }

    /**
     * @param delta added to the port (the line bridge's find and event ports follow its new port)
     * @return the same host with another port
     */
    public DialAddress plus(int delta) {
        return new DialAddress(host, port + delta);
    }

    /** @return the Inferno dial string, {@code tcp!host!port} */
    @Override
    public String toString() {
        return "tcp!" + host + "!" + port;
    }
}
