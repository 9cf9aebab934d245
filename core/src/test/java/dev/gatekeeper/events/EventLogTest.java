package dev.gatekeeper.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {

    @TempDir
    Path tmp;

    private static Event full(String id) {
        return Event.of(EventType.PUSH_REFUSED).id(id).time(Instant.parse("2025-06-01T12:00:00.123Z"))
                .repository("app").ref("refs/heads/main")
                .oldId("1111111111111111111111111111111111111111").newId("2222222222222222222222222222222222222222")
                .pusher("alice").proof("none").decision("refused").rule("refs/heads/main")
                .reason("direct push: \"quoted\", back\\slash, new\nline, tab\t, ünïcödé, emoji \uD83D\uDD12")
                .detail("policy", "/srv/git/app.git/gatekeeper/policy.yaml").detail("zeta", "last")
                .detail("alpha", "first").detail("skipped", null)
                .build();
    }

    private static Event numbered(int n) {
        return Event.of(EventType.NOTIFY_SENT).id(String.format("ev-%05d", n)).repository("app")
                .reason("event number " + n + " " + "x".repeat(100)).build();
    }

    @Test
    void appendAndReadAllRoundTripEveryField() throws Exception {
        EventLog log = new EventLog(tmp.resolve("gatekeeper/events.jsonl"), 1024 * 1024, 5);
        Event a = full("ev-1");
        Event b = Event.of(EventType.PUSH_ALLOWED).id("ev-2").time(Instant.parse("2025-06-01T12:00:01Z")).build();
        log.append(a);
        log.append(b);

        EventLog.ReadResult r = log.readAll();
        assertEquals(0, r.unreadable());
        assertEquals(List.of(a, b), r.events());
        Event back = r.events().get(0);
        assertEquals(Map.of("policy", "/srv/git/app.git/gatekeeper/policy.yaml", "zeta", "last", "alpha", "first"),
                back.details());
        assertEquals(Instant.parse("2025-06-01T12:00:00.123Z"), back.time());
        Event minimal = r.events().get(1);
        assertEquals(null, minimal.repository());
        assertEquals(null, minimal.reason());
        assertEquals(Map.of(), minimal.details());

        // one line per event, even with a newline in a field
        List<String> lines = Files.readAllLines(log.file(), StandardCharsets.UTF_8);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("{\"id\":\"ev-1\""), lines.get(0));
    }

    @Test
    void newEventsGetDistinctTimeOrderedIds() {
        Event e = Event.of(EventType.NOTIFY_SENT).build();
        assertTrue(e.id().matches("ev-[0-9a-z]+-[0-9a-z]{6}"), e.id());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(ids.add(EventIds.next()));
        }
    }

    @Test
    void emptyLogReadsAsNothing() throws Exception {
        EventLog log = new EventLog(tmp.resolve("none/events.jsonl"), 1024, 3);
        EventLog.ReadResult r = log.readAll();
        assertEquals(List.of(), r.events());
        assertEquals(0, r.unreadable());
        assertEquals(List.of(), log.files());
    }

    @Test
    void rotationKeepsAtMostMaxFilesAndBoundsTheTotalSize() throws Exception {
        long maxBytes = 2048;
        int maxFiles = 3;
        Path file = tmp.resolve("events.jsonl");
        EventLog log = new EventLog(file, maxBytes, maxFiles);
        int total = 200;
        for (int i = 0; i < total; i++) {
            log.append(numbered(i));
        }

        List<Path> files = log.files();
        assertEquals(List.of(tmp.resolve("events.jsonl.3"), tmp.resolve("events.jsonl.2"),
                tmp.resolve("events.jsonl.1"), file), files);
        assertFalse(Files.exists(tmp.resolve("events.jsonl.4")), "more rotated files than maxFiles");
        long sum = 0;
        for (Path p : files) {
            long size = Files.size(p);
            assertTrue(size <= maxBytes, p + " has " + size + " bytes");
            sum += size;
        }
        assertTrue(sum <= maxBytes * (maxFiles + 1), "total " + sum);
        try (var dir = Files.list(tmp)) {
            Set<String> names = dir.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertEquals(Set.of("events.jsonl", "events.jsonl.1", "events.jsonl.2", "events.jsonl.3",
                    "events.jsonl.lock"), names);
        }

        // what is kept is the newest events, oldest first, without gaps
        EventLog.ReadResult r = log.readAll();
        assertEquals(0, r.unreadable());
        List<String> ids = r.events().stream().map(Event::id).collect(Collectors.toList());
        assertFalse(ids.isEmpty());
        assertEquals(String.format("ev-%05d", total - 1), ids.get(ids.size() - 1));
        int first = Integer.parseInt(ids.get(0).substring(3));
        assertTrue(first > 0, "old events must have been rotated away");
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(String.format("ev-%05d", first + i), ids.get(i));
        }
        // every kept file is full except the current one: rotation wastes at most one line per file
        int lineBytes = (EventJson.write(numbered(0)) + "\n").getBytes(StandardCharsets.UTF_8).length;
        for (Path p : files.subList(0, files.size() - 1)) {
            assertTrue(Files.size(p) > maxBytes - lineBytes - 5, p + " is only " + Files.size(p));
        }
    }

    @Test
    void maxFilesOfOneKeepsOneRotatedFile() throws Exception {
        EventLog log = new EventLog(tmp.resolve("events.jsonl"), 1024, 1);
        for (int i = 0; i < 50; i++) {
            log.append(numbered(i));
        }
        assertEquals(2, log.files().size());
        assertFalse(Files.exists(tmp.resolve("events.jsonl.2")));
    }

    @Test
    void concurrentAppendsLoseAndTearNothing() throws Exception {
        EventLog log = new EventLog(tmp.resolve("events.jsonl"), 64L * 1024 * 1024, 5);
        int threads = 8;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        // a separate EventLog per thread, as separate hook invocations would have
                        new EventLog(tmp.resolve("events.jsonl"), 64L * 1024 * 1024, 5).append(
                                Event.of(EventType.PUSH_ALLOWED).repository("app").reason("y".repeat(500))
                                        .detail("thread", Integer.toString(thread))
                                        .detail("n", Integer.toString(i)).build());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        EventLog.ReadResult r = log.readAll();
        assertEquals(0, r.unreadable());
        assertEquals(threads * each, r.events().size());
        assertEquals(threads * each, r.events().stream().map(Event::id).distinct().count(), "ids must be unique");
        Set<String> seen = r.events().stream().map(e -> e.details().get("thread") + "/" + e.details().get("n"))
                .collect(Collectors.toSet());
        assertEquals(threads * each, seen.size());
        assertEquals(threads * each, Files.readAllLines(log.file()).size());
    }

    @Test
    void concurrentAppendsWithRotationKeepEveryFileWhole() throws Exception {
        EventLog log = new EventLog(tmp.resolve("events.jsonl"), 4096, 50);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        log.append(Event.of(EventType.PUSH_ALLOWED).reason("z".repeat(200)).build());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        EventLog.ReadResult r = log.readAll();
        assertEquals(0, r.unreadable());
        assertEquals(400, r.events().size(), "50 files of 4KB hold all 400 events");
        for (Path p : log.files()) {
            assertTrue(Files.size(p) <= 4096, p + " has " + Files.size(p));
        }
    }

    @Test
    void tornLineIsCountedAsUnreadable() throws Exception {
        EventLog log = new EventLog(tmp.resolve("events.jsonl"), 1024 * 1024, 5);
        log.append(full("ev-1"));
        String line = EventJson.write(full("ev-torn"));
        // a writer that died half way through its line, then garbage and a foreign JSON line
        Files.writeString(log.file(), line.substring(0, line.length() / 2) + "\n" + "not json at all\n"
                + "{\"hello\":\"world\"}\n" + "[1,2,3]\n" + "{\"id\":\"x\",\"time\":\"yesterday\",\"type\":\"t\"}\n"
                + "\n", StandardOpenOption.APPEND);
        log.append(full("ev-2"));

        EventLog.ReadResult r = log.readAll();
        assertEquals(List.of("ev-1", "ev-2"), r.events().stream().map(Event::id).collect(Collectors.toList()));
        assertEquals(5, r.unreadable());
    }

    @Test
    void eventAppendedAfterATornLastLineIsNotLost() throws Exception {
        EventLog log = new EventLog(tmp.resolve("events.jsonl"), 1024 * 1024, 5);
        log.append(full("ev-1"));
        String line = EventJson.write(full("ev-torn"));
        // the crash left no newline: the next append must still start its own line
        Files.writeString(log.file(), line.substring(0, line.length() / 2), StandardOpenOption.APPEND);
        log.append(full("ev-2"));

        EventLog.ReadResult r = log.readAll();
        assertEquals(List.of("ev-1", "ev-2"), r.events().stream().map(Event::id).collect(Collectors.toList()));
        assertEquals(1, r.unreadable());
    }

    @Test
    void readRejectsMalformedLines() {
        for (String bad : List.of("", "{", "{}", "{\"id\":\"a\",\"type\":\"t\"}", "{\"id\":\"a\",\"time\":\"2025-06-01T12:00:00Z\"}",
                "{\"id\":\"a\",\"time\":\"2025-06-01T12:00:00Z\",\"type\":\"t\"} trailing", "null")) {
            assertThrows(IOException.class, () -> EventJson.read(bad), bad);
        }
    }

    @Test
    void readIgnoresUnknownFieldsFromNewerVersions() throws Exception {
        Event e = EventJson.read("{\"id\":\"a\",\"time\":\"2025-06-01T12:00:00Z\",\"type\":\"t\",\"future\":{\"x\":[1]},"
                + "\"count\":3,\"details\":{\"k\":\"v\"}}");
        assertEquals("a", e.id());
        assertEquals(Map.of("k", "v"), e.details());
    }
    @Test
    void aBatchIsAppendedWholeInOrderAndRotatesTheFileBeforeItNotInTheMiddle() throws Exception {
        EventLog log = new EventLog(tmp.resolve("events.jsonl"), 8 * 1024, 3);
        log.append(numbered(0));
        List<Event> batch = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            batch.add(numbered(i)); // ~150 bytes each: the batch alone is larger than a file
        }
        log.appendAll(batch);

        EventLog.ReadResult r = log.readAll();
        assertEquals(0, r.unreadable());
        assertEquals(101, r.events().size());
        assertEquals(List.of(numbered(0).id()), log.readAll().events().subList(0, 1).stream().map(Event::id)
                .collect(Collectors.toList()));
        assertEquals(2, log.files().size(), "rotated once, before the batch; the batch stays in one file");
        assertEquals(100, Files.readAllLines(tmp.resolve("events.jsonl")).size());
        log.appendAll(List.of());
        assertEquals(2, log.files().size(), "an empty batch writes nothing");
    }
}
