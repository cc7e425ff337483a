package io.regmgr.runtime.core;

/** The two transports a manager can use, for parameterised network tests. */
enum Transport {
    /** Native 9P2000: one connection, canRemove, initial version and start time known. */
    STYX,
    /** The line bridge: three ports, no remove, versions known from events only. */
    BRIDGE
}
