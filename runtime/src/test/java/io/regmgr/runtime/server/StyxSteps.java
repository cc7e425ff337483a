package io.regmgr.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.regmgr.runtime.protocol.StyxMessage;
import io.regmgr.runtime.protocol.StyxMessage.Rattach;
import io.regmgr.runtime.protocol.StyxMessage.Rclunk;
import io.regmgr.runtime.protocol.StyxMessage.Ropen;
import io.regmgr.runtime.protocol.StyxMessage.Rversion;
import io.regmgr.runtime.protocol.StyxMessage.Rwalk;
import io.regmgr.runtime.protocol.StyxMessage.Rwrite;
import java.nio.charset.StandardCharsets;

/**
 * The 9P steps the network tests repeat, each asserting that the server answered as expected: a
 * connected and attached client, a registration through {@code new}, a whole read of a file.
 * Stateless; the client is the caller's.
 */
final class StyxSteps {

    /** The fid every {@link #attached} client has bound to the registry's root. */
    static final int ROOT = 0;

    private StyxSteps() {
    }

    /**
     * @param port the registry's 9P port
     * @param uname the user to attach as
     * @return a client that negotiated a direct registry's msize (8216) and attached {@link #ROOT}
     */
    static StyxTestClient attached(int port, String uname) {
        StyxTestClient c = StyxTestClient.connect(port);
        try {
            expect(c.version(StyxTestClient.DEFAULT_MSIZE), Rversion.class, "Tversion of " + uname);
            expect(c.attach(ROOT, uname), Rattach.class, "Tattach of " + uname);
            return c;
        } catch (RuntimeException | AssertionError e) {
            c.close();
            throw e;
        }
    }

    /**
     * Opens {@code new} on {@code fid} and writes {@code line}: the fid then is the service, which
     * lives until the fid is clunked or the connection closes (unless {@code persist}).
     */
    static void register(StyxTestClient c, int fid, String line) {
        open(c, fid, "new", StyxMessage.ORDWR);
        update(c, fid, line);
    }

    /** Writes {@code line} on an open fid and expects it to be accepted whole. */
    static void update(StyxTestClient c, int fid, String line) {
        Rwrite w = expect(c.write(fid, line), Rwrite.class, "write of '" + line + "'");
        assertThat(w.count()).as("bytes accepted of '%s'", line).isEqualTo(line.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Walks {@code fid} from the root to {@code file} and opens it with {@code mode}. */
    static Ropen open(StyxTestClient c, int fid, String file, int mode) {
        expect(c.walk(ROOT, fid, file), Rwalk.class, "walk to " + file);
        return expect(c.open(fid, mode), Ropen.class, "open of " + file);
    }

    /** Reads the whole of {@code file} through a fresh {@code fid}, which is clunked afterwards. */
    static String read(StyxTestClient c, int fid, String file) {
        open(c, fid, file, StyxMessage.OREAD);
        String text = c.readAll(fid);
        expect(c.clunk(fid), Rclunk.class, "clunk of " + file);
        return text;
    }

    /**
     * @param reply what the server answered
     * @param type the reply expected
     * @param what the request, for the failure message
     * @return the reply, cast
     */
    static <T extends StyxMessage> T expect(StyxMessage reply, Class<T> type, String what) {
        assertThat(reply).as("reply to %s", what).isInstanceOf(type);
        return type.cast(reply);
    }
}
