package dev.gatekeeper.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code events tail --follow}: every line appended after the start, once and in order, whatever the rotation. */
class LogFollowerTest {
    @TempDir Path tmp;

    private static Event numbered(String log, int n, int padding) {
        return Event.of(EventType.NOTIFY_SENT).id(log + "-" + n).reason("x".repeat(padding)).build();
    }

    private static List<String> ids(List<String> lines) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(EventJson.read(l).id());
        }
        return out;
    }

    @Test
    void followsAppendsAcrossRotationsOnceAndInOrderOverManySeededRuns() throws Exception {
        for (int seed = 1; seed <= 60; seed++) {
            Random rnd = new Random(seed);
            Path dir = Files.createDirectories(tmp.resolve("run" + seed));
            // small files, many kept: rotations every few events, none lost before the next poll
            EventLog a = new EventLog(dir.resolve("events.jsonl"), 1024 + rnd.nextInt(4096), 50);
            EventLog b = new EventLog(dir.resolve("security.jsonl"), 1024 + rnd.nextInt(4096), 50);
            int before = rnd.nextInt(5);
            for (int i = 0; i < before; i++) {
                a.append(numbered("old", i, 50));
            }
            LogFollower f = new LogFollower(List.of(a, b));
            List<String> expectedA = new ArrayList<>();
            List<String> expectedB = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (int step = 0; step < 200; step++) {
                int what = rnd.nextInt(10);
                if (what < 4) {
                    Event e = numbered("a", step, rnd.nextInt(700));
                    a.append(e);
                    expectedA.add(e.id());
                } else if (what < 6) {
                    List<Event> batch = new ArrayList<>();
                    for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                        batch.add(numbered("b", step * 10 + k, rnd.nextInt(300)));
                    }
                    b.appendAll(batch);
                    batch.forEach(e -> expectedB.add(e.id()));
                } else if (what < 9) {
                    seen.addAll(ids(f.poll()));
                }
            }
            seen.addAll(ids(f.poll()));
            assertEquals(expectedA, seen.stream().filter(s -> s.startsWith("a-")).toList(), "seed " + seed);
            assertEquals(expectedB, seen.stream().filter(s -> s.startsWith("b-")).toList(), "seed " + seed);
        }
    }

    @Test
    void aLineStillBeingWrittenWaitsForItsNewline() throws Exception {
        EventLog log = new EventLog(tmp.resolve("events.jsonl"), 1 << 20, 5);
        log.append(numbered("x", 0, 10));
        LogFollower f = new LogFollower(List.of(log));
        String line = EventJson.write(numbered("x", 1, 10));
        Files.writeString(log.file(), line.substring(0, 20), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(List.of(), f.poll());
        Files.writeString(log.file(), line.substring(20) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(List.of(line), f.poll());
    }

    @Test
    void aLogThatDoesNotExistYetIsFollowedFromItsFirstLine() throws Exception {
        EventLog log = new EventLog(tmp.resolve("later/events.jsonl"), 1 << 20, 5);
        LogFollower f = new LogFollower(List.of(log));
        assertEquals(List.of(), f.poll());
        log.append(numbered("y", 0, 10));
        log.append(numbered("y", 1, 10));
        assertEquals(List.of("y-0", "y-1"), ids(f.poll()));
    }
}
