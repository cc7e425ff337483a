package io.regmgr.runtime.client;

import io.regmgr.ServiceEntry;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The services a read of the registry ({@code index} or {@code find}) returned, with the size of
 * the answer they were parsed from: on 9P the payload bytes of the read's {@code Rread}s, on the
 * line bridge the bytes the {@code find} port sent before closing (lines a client-side filter then
 * dropped included). The transports return it from {@code index()} and {@code find()} so that the
 * manager's metrics can count bytes read without a change to the session SPI; to every other
 * caller it is an unmodifiable list. Immutable and thread-safe.
 */
public final class ReadAnswer extends AbstractList<ServiceEntry> implements RandomAccess {
    private final List<ServiceEntry> entries;
    private final long bytes;

    private ReadAnswer(List<ServiceEntry> entries, long bytes) {
        this.entries = List.copyOf(entries);
        this.bytes = bytes;
    }

    /**
     * @param entries the services parsed from the answer (copied)
     * @param bytes the answer's size in bytes, at least 0
     * @return the answer
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public static ReadAnswer of(List<ServiceEntry> entries, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("Invalid answer size " + bytes + ": a size in bytes is at least 0");
        }
        return new ReadAnswer(entries, bytes);
    }

    /**
     * @param answer what a session's {@code index()} or {@code find()} returned, or null
     * @return its size in bytes if a transport of this library read it, else -1 (unknown: a
     *     connector of the application's, or a failed read)
     */
    public static long bytesOf(List<?> answer) {
        return answer instanceof ReadAnswer a ? a.bytes : -1;
    }

    /** @return the answer's size in bytes */
    public long bytes() {
        return bytes;
    }

    @Override
    public ServiceEntry get(int index) {
        return entries.get(index);
    }

    @Override
    public int size() {
        return entries.size();
    }
}
