package io.regmgr.runtime.protocol;

import static io.regmgr.runtime.protocol.StyxMessage.*;
import static io.regmgr.runtime.protocol.WireBytes.frame;
import static io.regmgr.runtime.protocol.WireBytes.hex;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regmgr.ProtocolViolationException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed input is refused with a message naming the message type, the field and the rule. */
class StyxCodecRejectionTest {

    private static final String STAT_AFTER_SIZE = "0000 00000000 80 00000000 0000000000000000 6d010080 00f15365"
            + " 00f15365 0000000000000000 0100 2e 0700 696e6665726e6f 0700 696e6665726e6f 0700 696e6665726e6f";

    private static void assertRefused(byte[] frame, String... messageParts) {
        assertThatThrownBy(() -> StyxCodec.decode(frame))
                .as("decoding %s", hex(frame))
                .isInstanceOf(ProtocolViolationException.class)
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void truncatedFrameIsRefused() {
        byte[] tversion = hex("13000000 64 ffff 18200000 0600 395032303030");
        assertThatThrownBy(() -> StyxCodec.decode(tversion, 0, tversion.length - 1))
                .as("Tversion missing its last byte")
                .isInstanceOf(ProtocolViolationException.class)
                .hasMessage("Tversion: declared size 19 but only 18 bytes are present (truncated frame)");
    }

    @Test
    void frameShorterThanItsFieldsIsRefused() {
        // a Tread of size 11 ends after fid[4]: offset[8] is missing
        assertRefused(hex("0b000000 74 0100 01000000"), "Tread: offset needs 8 bytes but only 0 remain in the frame");
        assertRefused(hex("0c000000 6b 0100 0500 414243"),
                "Rerror: ename length 5 runs past the end of the frame (3 bytes remain)");
    }

    @Test
    void frameShorterThanTheHeaderIsRefused() {
        assertRefused(hex("070000"), "frame of 3 bytes is shorter than the minimum of 7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"00000000 64 ffff", "06000000 64 ffff"})
    void declaredSizeBelowSevenIsRefused(String hex) {
        assertRefused(hex(hex), "declared size", "is less than the minimum of 7");
    }

    @Test
    void declaredSizeBiggerThanTheContentIsRefused() {
        // Rread declares 16 bytes; only the 14 of a 3-byte read are there
        assertRefused(hex("10000000 75 0a00 03000000 68690a"),
                "Rread: declared size 16 but only 14 bytes are present");
    }

    @Test
    void countRunningPastTheEndIsRefused() {
        assertRefused(hex("0e000000 75 0a00 05000000 68690a"),
                "Rread: count 5 runs past the end of the frame (3 bytes remain)");
        // a count with the top bit set must not wrap to a negative length
        assertRefused(hex("0e000000 75 0a00 ffffffff 68690a"),
                "Rread: count 4294967295 runs past the end of the frame");
        assertRefused(hex("1e000000 76 0b00 01000000 0000000000000000 08000000 73766320612062"),
                "Twrite: count 8 runs past the end of the frame (7 bytes remain)");
    }

    @Test
    void trailingBytesInsideAFrameAreRefused() {
        assertRefused(hex("0c000000 78 0c00 01000000 00"), "Tclunk: declared size 12 but the fields end at 11");
        assertRefused(hex("0f000000 75 0a00 03000000 68690a 00"), "Rread: declared size 15 but the fields end at 14");
        assertRefused(hex("08000000 6d 0400 00"), "Rflush: declared size 8 but the fields end at 7");
    }

    @Test
    void bytesAfterTheFrameAreRefused() {
        assertRefused(hex("07000000 6d 0400 07"), "Rflush: declared size 7 but 8 bytes were given");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 99, 128, 200, 255})
    void unknownTypeIsRefused(int type) {
        assertRefused(frame(String.format("%02x 0100", type)), "unknown type " + type);
    }

    @Test
    void terrorIsRefused() {
        assertRefused(frame("6a 0100 0000"), "Terror", "type 106 is reserved and never valid");
    }

    @Test
    void seventeenWalkElementsAreRefused() {
        // the count is refused before any element is read
        assertRefused(frame("6e 0100 00000000 01000000 1100"), "Twalk: nwname 17 exceeds the maximum of 16");
        assertRefused(frame("6f 0100 1100"), "Rwalk: nwqid 17 exceeds the maximum of 16");
        assertRefused(frame("6e 0100 00000000 01000000 ffff"), "Twalk: nwname 65535 exceeds the maximum of 16");
    }

    @ParameterizedTest
    @CsvSource({
        "ff, lone 0xff",
        "c0af, overlong '/'",
        "e282, truncated 3-byte sequence",
        "eda080, encoded surrogate U+D800",
        "f4908080, code point above U+10FFFF",
        "80, lone continuation byte"})
    void invalidUtf8IsRefused(String bytes, String what) {
        String len = String.format("%02x00", bytes.length() / 2);
        assertThatThrownBy(() -> StyxCodec.decode(frame("6b 0100 " + len + " " + bytes)))
                .as("Rerror with %s", what)
                .isInstanceOf(ProtocolViolationException.class)
                .hasMessageStartingWith("Rerror: ename is not valid UTF-8");
    }

    @Test
    void invalidUtf8InAWalkNameNamesTheElement() {
        assertRefused(frame("6e 0100 00000000 01000000 0200 0100 61 0100 ff"),
                "Twalk: wname[1] is not valid UTF-8 (bad byte sequence at offset 0 of 1)");
    }

    @Test
    void statSizeSmallerThanItsFieldsIsRefused() {
        // n[2]=71 right, but size[2]=68 cuts off the last byte of muid
        assertRefused(frame("7d 0e00 4700 4400 " + STAT_AFTER_SIZE + " 00"),
                "Rstat: stat muid length 7 runs past the end of the stat entry (6 bytes remain)");
    }

    @Test
    void statSizeBiggerThanItsFieldsIsRefused() {
        // an extra byte inside the entry: size[2]=70, n[2]=72
        assertRefused(frame("7d 0e00 4800 4600 " + STAT_AFTER_SIZE + " 00"),
                "Rstat: stat size 70 but its fields take 69 bytes");
    }

    @Test
    void statNDisagreeingWithStatSizeIsRefused() {
        assertRefused(frame("7d 0e00 4800 4500 " + STAT_AFTER_SIZE + " 00"),
                "Rstat: stat n 72 but the stat entry inside takes 71 bytes");
        assertRefused(frame("7e 0e00 03000000 4600 4500 " + STAT_AFTER_SIZE),
                "Twstat: stat size 69 runs past the end of stat[n] (68 bytes remain)");
    }

    @Test
    void directoryDataEndingInsideAnEntryIsRefused() {
        byte[] entry = hex("4500 " + STAT_AFTER_SIZE);
        byte[] data = WireBytes.concat(List.of(entry, hex("45")));
        assertThatThrownBy(() -> StyxCodec.decodeStats(data))
                .as("a whole entry then one byte")
                .isInstanceOf(ProtocolViolationException.class)
                .hasMessage("directory data: stat size needs 2 bytes but only 1 remain in the data");
        byte[] cut = java.util.Arrays.copyOf(entry, entry.length - 1);
        assertThatThrownBy(() -> StyxCodec.decodeStats(cut))
                .as("an entry missing its last byte")
                .isInstanceOf(ProtocolViolationException.class)
                .hasMessage("directory data: stat size 69 runs past the end of the data (68 bytes remain)");
    }

    @Test
    void encodingRefusesWhatTheWireCannotCarry() {
        List<String> seventeen = Collections.nCopies(17, "a");
        assertThatThrownBy(() -> StyxCodec.encode(new Twalk(1, 0, 1, seventeen)))
                .as("17 walk names").isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Twalk: nwname 17 exceeds the maximum of 16");
        assertThatThrownBy(() -> StyxCodec.encode(new Rwalk(1, Collections.nCopies(17, new Qid(0, 0, 0)))))
                .as("17 walk qids").isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rwalk: nwqid 17 exceeds the maximum of 16");
        assertThatThrownBy(() -> StyxCodec.encode(new Rerror(1, "x".repeat(65536))))
                .as("a 65536-byte string").isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rerror: ename is 65536 bytes of UTF-8; a 9P string holds at most 65535");
        assertThatThrownBy(() -> StyxCodec.encode(new Rclunk(65536)))
                .as("tag 65536").isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rclunk: tag 65536 is outside the range 0..65535");
        assertThatThrownBy(() -> StyxCodec.encode(new Rclunk(-1)))
                .as("tag -1").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag -1 is outside the range 0..65535");
        assertThatThrownBy(() -> StyxCodec.encode(new Tflush(1, 70000)))
                .as("oldtag 70000").isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Tflush: oldtag 70000 is outside the range 0..65535");
        assertThatThrownBy(() -> StyxCodec.encode(new Topen(1, 0, 256)))
                .as("open mode 256").isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Topen: mode 256 is outside the range 0..255");
        assertThatThrownBy(() -> StyxCodec.encode(new Rattach(1, new Qid(0x100, 0, 0))))
                .as("qid type 256").isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rattach: qid.type 256 is outside the range 0..255");
        assertThatThrownBy(() -> StyxCodec.encode(new Tattach(1, 0, NOFID, "a\ud800b", "")))
                .as("lone surrogate").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tattach: uname is not valid Unicode");
        Stat badTime = new Stat(0, 0, new Qid(0, 0, 0), 0, -1, 0, 0, "", "", "", "");
        assertThatThrownBy(() -> StyxCodec.encode(new Rstat(1, badTime)))
                .as("atime -1").isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rstat: stat.atime -1 is outside the u32 range 0..4294967295");
    }

    @Test
    void encodingRefusesAStatTooBigForItsSizeField() {
        String big = "x".repeat(30_000);
        Stat stat = new Stat(0, 0, new Qid(0, 0, 0), 0, 0, 0, 0, big, big, big, "");
        assertThatThrownBy(() -> StyxCodec.encodeStat(stat))
                .as("a stat of more than 65535 bytes")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stat: stat.size")
                .hasMessageContaining("is outside the range 0..65535");
    }
}
