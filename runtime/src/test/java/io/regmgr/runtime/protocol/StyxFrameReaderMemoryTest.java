package io.regmgr.runtime.protocol;

import io.regmgr.LimitExceededException;
import io.regmgr.ProtocolViolationException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded memory: a frame reader told of a frame of any declared size allocates at most its
 * maximum message size (plus a little), never the declared size; a declared size above the
 * maximum is refused before its body arrives. Measured with the JVM's per-thread allocation count.
 */
class StyxFrameReaderMemoryTest {
    private static final long SLACK = 64 * 1024;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Property(tries = 300)
    void aDeclaredSizeNeverAllocatesMoreThanTheMaximum(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long declared,
            @ForAll @IntRange(min = 7, max = 1 << 20) int maxMessageSize) {
        StyxFrameReader reader = new StyxFrameReader(maxMessageSize, m -> { });
        byte[] header = {(byte) declared, (byte) (declared >>> 8), (byte) (declared >>> 16), (byte) (declared >>> 24),
                100, 0, 0};
        long before = THREADS.getCurrentThreadAllocatedBytes();
        boolean refused = false;
        try {
            reader.feed(header, 0, header.length);
        } catch (LimitExceededException | ProtocolViolationException e) {
            refused = true;
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated for a declared size of %d with a maximum of %d", declared, maxMessageSize)
                .isLessThanOrEqualTo(Math.min(declared, maxMessageSize) + SLACK);
        if (declared > maxMessageSize || declared < 7) {
            assertThat(refused).as("declared %d refused (maximum %d)", declared, maxMessageSize).isTrue();
        }
    }
}
