package io.regmgr.runtime.cdi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A health check's answer, framework-free: up or down, and data that says why. Immutable.
 *
 * @param up whether the check passes
 * @param data what the check saw; values are String, Long or Boolean (what MicroProfile Health carries)
 */
public record HealthReport(boolean up, Map<String, Object> data) {
    /** @param data copied, keeping its order */
    public HealthReport {
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }
}
