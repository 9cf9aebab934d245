package dev.gatekeeper.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest
    @CsvSource({
            "500ms, 500",
            "0s, 0",
            "30s, 30000",
            "15m, 900000",
            "1h, 3600000",
            "1d, 86400000",
            "2H, 7200000",
            "'  90s  ', 90000",
            "10 m, 600000",
            "1500MS, 1500"})
    void durations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Units.duration(text));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "1", "h", "ms", "1.5h", "-1m", "+1m", "1h30m", "1w", "1y", "1 hour", "one hour",
            "1m s", "9223372036854775807d", "9223372036854775807h", "99999999999999999999s"})
    void invalidDurations(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.duration(text));
        assertTrue(e.getMessage().contains("a duration such as"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "1048576, 1048576",
            "100b, 100",
            "512KB, 524288",
            "512kib, 524288",
            "10MB, 10485760",
            "10 MiB, 10485760",
            "1GB, 1073741824",
            "1gib, 1073741824",
            "' 2mb ', 2097152"})
    void sizes(String text, long bytes) {
        assertEquals(bytes, Units.bytes(text));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "MB", "1.5MB", "-1", "-1MB", "10TB", "10 megabytes", "1e6", "0x10",
            "9007199254740993GB", "9007199254740992KB", "99999999999999999999"})
    void invalidSizes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.bytes(text));
        assertTrue(e.getMessage().contains("a size such as"), e.getMessage());
    }

    @Test
    void largestSizesThatFitAreExact() {
        assertEquals(8_589_934_591L * 1024 * 1024 * 1024, Units.bytes("8589934591GB"));
        assertEquals(Long.MAX_VALUE, Units.bytes(Long.toString(Long.MAX_VALUE)));
    }

    @ParameterizedTest
    @CsvSource({"500, 500ms", "1500, 1500ms", "0, 0s", "30000, 30s", "900000, 15m", "3600000, 1h",
            "86400000, 1d", "5400000, 90m"})
    void formatIsTheShortFormDurationReadsBack(long millis, String text) {
        Duration d = Duration.ofMillis(millis);
        assertEquals(text, Units.format(d));
        assertEquals(d, Units.duration(Units.format(d)));
    }
}
