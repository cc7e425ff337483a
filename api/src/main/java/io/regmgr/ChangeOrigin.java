package io.regmgr;

/** Why a {@link Monitor} reports a delta. */
public enum ChangeOrigin {
    /** The monitor's first sync: every matching service is reported as added. */
    INITIAL_SYNC,
    /** A change the registry announced while connected. */
    LIVE,
    /** What changed while the manager was disconnected, found when it reconnected. */
    RESYNC
}
