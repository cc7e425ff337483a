package io.regmgr.runtime.protocol;

import static io.regmgr.runtime.protocol.StyxMessage.*;
import static io.regmgr.runtime.protocol.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden frames for every message type, written by hand from the layouts of intro(5), one field per
 * hex group: {@code size[4] type[1] tag[2] fields...}, little-endian.
 */
class StyxCodecGoldenTest {

    record Golden(String hex, StyxMessage message) {
        @Override
        public String toString() {
            return message.getClass().getSimpleName() + " " + hex;
        }
    }

    private static final Qid ROOT = new Qid(QTDIR, 0, 0);

    /** The registry's root as its Rstat reports it: a directory of mode DMDIR|0555 owned by inferno. */
    static final Stat ROOT_STAT = new Stat(0, 0, ROOT, DMDIR | 0555, 1_700_000_000L, 1_700_000_000L, 0,
            ".", "inferno", "inferno", "inferno");
    // size[2]=69 type[2] dev[4] qid[13] mode[4] atime[4] mtime[4] length[8] name[s] uid[s] gid[s] muid[s]
    static final String ROOT_STAT_HEX = "4500 0000 00000000 80 00000000 0000000000000000 6d010080 00f15365 00f15365"
            + " 0000000000000000 0100 2e 0700 696e6665726e6f 0700 696e6665726e6f 0700 696e6665726e6f";

    static final List<Golden> GOLDEN = List.of(
            // size[4] Tversion tag[2] msize[4] version[s]
            new Golden("13000000 64 ffff 18200000 0600 395032303030", new Tversion(NOTAG, 8216, "9P2000")),
            // size[4] Rversion tag[2] msize[4] version[s]
            new Golden("13000000 65 ffff 00200000 0600 395032303030", new Rversion(NOTAG, 8192, "9P2000")),
            // size[4] Tauth tag[2] afid[4] uname[s] aname[s]
            new Golden("12000000 66 0100 05000000 0300 626f62 0000", new Tauth(1, 5, "bob", "")),
            // size[4] Rauth tag[2] aqid[13]
            new Golden("14000000 67 0100 08 00000000 0700000000000000", new Rauth(1, new Qid(0x08, 0, 7))),
            // size[4] Tattach tag[2] fid[4] afid[4] uname[s] aname[s]
            new Golden("1a000000 68 0200 00000000 ffffffff 0700 696e6665726e6f 0000",
                    new Tattach(2, 0, NOFID, "inferno", "")),
            // size[4] Rattach tag[2] qid[13]
            new Golden("14000000 69 0200 80 00000000 0000000000000000", new Rattach(2, ROOT)),
            // size[4] Rerror tag[2] ename[s]
            new Golden("1c000000 6b 0300 1300 66696c6520646f6573206e6f74206578697374",
                    new Rerror(3, "file does not exist")),
            // size[4] Tflush tag[2] oldtag[2]
            new Golden("09000000 6c 0400 0300", new Tflush(4, 3)),
            // size[4] Rflush tag[2]
            new Golden("07000000 6d 0400", new Rflush(4)),
            // size[4] Twalk tag[2] fid[4] newfid[4] nwname[2] nwname*(wname[s])
            new Golden("16000000 6e 0500 00000000 01000000 0100 0300 6e6577", new Twalk(5, 0, 1, List.of("new"))),
            new Golden("11000000 6e 0600 00000000 01000000 0000", new Twalk(6, 0, 1, List.of())),
            new Golden("18000000 6e 0700 01000000 02000000 0200 0100 61 0200 c3a9",
                    new Twalk(7, 1, 2, List.of("a", "\u00e9"))),
            // size[4] Rwalk tag[2] nwqid[2] nwqid*(wqid[13])
            new Golden("16000000 6f 0500 0100 00 00000000 0100000000000000",
                    new Rwalk(5, List.of(new Qid(QTFILE, 0, 1)))),
            new Golden("09000000 6f 0600 0000", new Rwalk(6, List.of())),
            // size[4] Topen tag[2] fid[4] mode[1]
            new Golden("0c000000 70 0800 01000000 02", new Topen(8, 1, ORDWR)),
            new Golden("0c000000 70 0800 01000000 51", new Topen(8, 1, OWRITE | OTRUNC | ORCLOSE)),
            // size[4] Ropen tag[2] qid[13] iounit[4]
            new Golden("18000000 71 0800 00 00000000 1500000000000000 00200000",
                    new Ropen(8, new Qid(QTFILE, 0, (1 << 4) | 5), 8192)),
            // size[4] Tcreate tag[2] fid[4] name[s] perm[4] mode[1]
            new Golden("13000000 72 0900 00000000 0100 64 ed010080 00", new Tcreate(9, 0, "d", DMDIR | 0755, OREAD)),
            // size[4] Rcreate tag[2] qid[13] iounit[4]
            new Golden("18000000 73 0900 80 01000000 0807060504030201 00000000",
                    new Rcreate(9, new Qid(QTDIR, 1, 0x0102030405060708L), 0)),
            // size[4] Tread tag[2] fid[4] offset[8] count[4]
            new Golden("17000000 74 0a00 01000000 0000000001000000 e81f0000", new Tread(10, 1, 1L << 32, 8168)),
            // size[4] Rread tag[2] count[4] data[count]
            new Golden("0e000000 75 0a00 03000000 68690a", new Rread(10, new byte[] {'h', 'i', '\n'})),
            new Golden("0b000000 75 0b00 00000000", new Rread(11, new byte[0])),
            // size[4] Twrite tag[2] fid[4] offset[8] count[4] data[count]
            new Golden("1e000000 76 0b00 01000000 0000000000000000 07000000 73766320612062",
                    new Twrite(11, 1, 0, "svc a b".getBytes(java.nio.charset.StandardCharsets.US_ASCII))),
            // size[4] Rwrite tag[2] count[4]
            new Golden("0b000000 77 0b00 07000000", new Rwrite(11, 7)),
            // size[4] Tclunk tag[2] fid[4]
            new Golden("0b000000 78 0c00 01000000", new Tclunk(12, 1)),
            // size[4] Rclunk tag[2]
            new Golden("07000000 79 0c00", new Rclunk(12)),
            // size[4] Tremove tag[2] fid[4]
            new Golden("0b000000 7a 0d00 02000000", new Tremove(13, 2)),
            // size[4] Rremove tag[2]
            new Golden("07000000 7b 0d00", new Rremove(13)),
            // size[4] Tstat tag[2] fid[4]
            new Golden("0b000000 7c 0e00 00000000", new Tstat(14, 0)),
            // size[4] Rstat tag[2] stat[n]; n[2]=71 is the stat's own size[2]=69 plus 2
            new Golden("50000000 7d 0e00 4700 " + ROOT_STAT_HEX, new Rstat(14, ROOT_STAT)),
            // size[4] Twstat tag[2] fid[4] stat[n]: rename to "y", every other field "don't touch"
            new Golden("3f000000 7e 0f00 03000000 3200 3000 ffff ffffffff ff ffffffff ffffffffffffffff"
                    + " ffffffff ffffffff ffffffff ffffffffffffffff 0100 79 0000 0000 0000",
                    new Twstat(15, 3, Stat.dontTouch().withName("y"))),
            // size[4] Rwstat tag[2]
            new Golden("07000000 7f 0f00", new Rwstat(15)),
            // the largest tag below NOTAG, and fids with the top bit set
            new Golden("0b000000 78 feff ffffff7f", new Tclunk(0xFFFE, Integer.MAX_VALUE)),
            new Golden("0b000000 78 0080 00000080", new Tclunk(0x8000, Integer.MIN_VALUE)));

    static Stream<Golden> golden() {
        return GOLDEN.stream();
    }

    @ParameterizedTest
    @MethodSource("golden")
    void encodeGivesTheGoldenBytes(Golden g) {
        assertThat(hex(StyxCodec.encode(g.message())))
                .as("encoding of %s", g.message())
                .isEqualTo(g.hex().replace(" ", ""));
    }

    @ParameterizedTest
    @MethodSource("golden")
    void decodeGivesTheGoldenMessage(Golden g) {
        assertThat(StyxCodec.decode(hex(g.hex())))
                .as("decoding of %s", g.hex())
                .isEqualTo(g.message());
    }

    @ParameterizedTest
    @MethodSource("golden")
    void decodeReadsAFrameInsideALargerBuffer(Golden g) {
        byte[] frame = hex(g.hex());
        byte[] padded = new byte[frame.length + 5];
        System.arraycopy(frame, 0, padded, 3, frame.length);
        assertThat(StyxCodec.decode(padded, 3, frame.length))
                .as("decoding of %s at offset 3", g.hex())
                .isEqualTo(g.message());
    }

    @Test
    void everyMessageTypeHasAGoldenFrame() {
        assertThat(GOLDEN.stream().<Class<?>>map(g -> g.message().getClass()).distinct())
                .as("message types covered by golden frames")
                .containsExactlyInAnyOrder(StyxMessage.class.getPermittedSubclasses());
    }

    @Test
    void typeNumbersFollowIntro5() {
        assertThat(GOLDEN.stream().map(g -> hex(g.hex())[4] == g.message().type()))
                .as("type byte of each golden frame equals type()")
                .containsOnly(true);
        assertThat(new Tversion(NOTAG, 0, "").type()).as("Tversion").isEqualTo((byte) 100);
        assertThat(new Rwstat(0).type()).as("Rwstat").isEqualTo((byte) 127);
    }

    @Test
    void statEntryEncodesAndDecodesAsInADirectoryRead() {
        assertThat(hex(StyxCodec.encodeStat(ROOT_STAT)))
                .as("encodeStat of the root")
                .isEqualTo(ROOT_STAT_HEX.replace(" ", ""));
        assertThat(StyxCodec.decodeStats(hex(ROOT_STAT_HEX + ROOT_STAT_HEX)))
                .as("two entries back to back")
                .containsExactly(ROOT_STAT, ROOT_STAT);
        assertThat(StyxCodec.decodeStats(new byte[0])).as("an empty directory read").isEmpty();
    }
}
