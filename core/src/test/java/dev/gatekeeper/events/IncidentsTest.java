package dev.gatekeeper.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IncidentsTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final String MERGE = "a".repeat(40);
    private static final String REVERT = "b".repeat(40);

    private static Event ev(String type, long seconds, String run) {
        return Event.of(EventType.of(type).orElseThrow()).time(T0.plusSeconds(seconds)).ref("refs/heads/main").repository("app")
                .detail("run", run).build();
    }

    /** A stabilize run as Stabilize writes it, plus the server's push events, from {@code at} seconds. */
    private static List<Event> revertStory(long at, String run, String merge, String revert, boolean recovers) {
        List<Event> l = new ArrayList<>();
        l.add(Event.of(EventType.PUSH_ALLOWED).time(T0.plusSeconds(at)).repository("app").ref("refs/heads/main")
                .newId(merge).build());
        l.add(Event.of(EventType.STABILIZE_START).id(run).time(T0.plusSeconds(at + 5)).ref("refs/heads/main").newId(merge)
                .detail("run", run).build());
        l.add(Event.of(EventType.PROBE_FAILED).time(T0.plusSeconds(at + 65)).ref("refs/heads/main").newId(merge)
                .reason("http GET /health failed: connection refused").detail("run", run).build());
        l.add(Event.of(EventType.REVERT_PUSHED).time(T0.plusSeconds(at + 66)).ref("refs/heads/main").newId(revert)
                .detail("run", run).build());
        l.add(Event.of(EventType.PUSH_ALLOWED).time(T0.plusSeconds(at + 66)).repository("app").ref("refs/heads/main")
                .newId(revert).build());
        l.add(Event.of(EventType.DEPLOY_RAN).time(T0.plusSeconds(at + 80)).ref("refs/heads/main").detail("run", run).build());
        if (recovers) {
            l.add(Event.of(EventType.RECOVERY_CONFIRMED).time(T0.plusSeconds(at + 110)).ref("refs/heads/main")
                    .detail("run", run).build());
        } else {
            l.add(Event.of(EventType.RECOVERY_FAILED).time(T0.plusSeconds(at + 110)).ref("refs/heads/main")
                    .detail("run", run).build());
        }
        l.add(Event.of(EventType.NOTIFY_SENT).time(T0.plusSeconds(at + 111)).detail("run", run).build());
        return l;
    }

    @Test
    void aBrokenMergeIsOneIncidentFromItsPushToTheConfirmedRecovery() {
        List<Event> story = revertStory(0, "ev-run1", MERGE, REVERT, true);
        List<Incident> incidents = Incidents.group(story);
        assertEquals(1, incidents.size(), incidents.toString());
        Incident i = incidents.get(0);
        assertEquals(Incident.Kind.REVERT, i.kind());
        assertEquals(Incident.Status.RECOVERED, i.status());
        assertEquals(Duration.ofSeconds(65), i.timeToDetect());
        assertEquals(Duration.ofSeconds(110), i.timeToRecover());
        assertEquals(T0.plusSeconds(111), i.alerted());
        assertEquals(story.get(0).id(), i.id(), "named after the merge's push");
        assertEquals(story.stream().map(Event::id).sorted().toList(), i.eventIds().stream().sorted().toList(),
                "every event of the story, the revert's push on the server included");
        assertTrue(i.title().contains("connection refused"), i.title());
    }

    @Test
    void withoutTheServersLogTheRevertStartsAtStabilizeStart() {
        List<Event> clone = revertStory(0, "ev-run1", MERGE, REVERT, true).stream()
                .filter(e -> !e.type().equals("push.allowed")).toList();
        Incident i = Incidents.group(clone).get(0);
        assertEquals(T0.plusSeconds(5), i.start());
        assertEquals(Duration.ofSeconds(60), i.timeToDetect());
    }

    @Test
    void aRevertThatDidNotRecoverNeedsAHumanAndHasNoTimeToRecover() {
        Incident i = Incidents.group(revertStory(0, "ev-run1", MERGE, REVERT, false)).get(0);
        assertEquals(Incident.Status.FAILED, i.status());
        assertNull(i.timeToRecover());
        assertTrue(i.title().contains("a human must act"), i.title());
    }

    @Test
    void healthyRunsAndDryRunsAreNoIncidents() {
        List<Event> l = List.of(ev("stabilize.start", 0, "r1"), ev("probe.ok", 60, "r1"),
                ev("stabilize.start", 100, "r2"), ev("probe.inconclusive", 160, "r2"));
        assertEquals(List.of(), Incidents.group(l));
    }

    @Test
    void driftRunsFromFoundToResolvedWithAnUnknownTimeToDetect() {
        List<Event> l = List.of(
                Event.of(EventType.DRIFT_FOUND).time(T0).repository("bare:/srv/git/app.git").reason("1 new finding(s): bypass")
                        .build(),
                Event.of(EventType.DRIFT_ALERTED).time(T0.plusSeconds(1)).repository("bare:/srv/git/app.git").build(),
                Event.of(EventType.DRIFT_FOUND).time(T0.plusSeconds(3600)).repository("bare:/srv/git/app.git").build(),
                Event.of(EventType.DRIFT_FOUND).time(T0.plusSeconds(3600)).repository("checkout:/srv/app@main").build(),
                Event.of(EventType.DRIFT_RESOLVED).time(T0.plusSeconds(7200)).repository("bare:/srv/git/app.git").build());
        List<Incident> incidents = Incidents.group(l);
        assertEquals(2, incidents.size(), incidents.toString());
        Incident bare = incidents.get(0);
        assertEquals(Incident.Status.RECOVERED, bare.status());
        assertFalse(bare.startKnown());
        assertNull(bare.timeToDetect(), "drift happened at some time between two scans: unknown, not zero");
        assertEquals(Duration.ofHours(2), bare.timeToRecover());
        assertEquals(T0.plusSeconds(1), bare.alerted());
        assertEquals(4, bare.eventIds().size(), "found, alerted, found again (new finding), resolved");
        assertEquals(Incident.Status.OPEN, incidents.get(1).status());
    }

    @Test
    void aHealedCheckoutEndsItsDriftButAHealedBareRepositoryOnlyGotItsHooksBack() {
        List<Event> l = List.of(
                Event.of(EventType.DRIFT_FOUND).time(T0).repository("checkout:/srv/app@main").build(),
                Event.of(EventType.DRIFT_FOUND).time(T0).repository("bare:/srv/git/app.git").build(),
                Event.of(EventType.DRIFT_HEALED).time(T0.plusSeconds(30)).repository("/srv/app").decision("healed").build(),
                Event.of(EventType.DRIFT_HEALED).time(T0.plusSeconds(31)).repository("/srv/git/app.git").decision("healed")
                        .build());
        List<Incident> incidents = Incidents.group(l);
        Incident checkout = incidents.stream().filter(i -> i.repository().startsWith("checkout:")).findFirst()
                .orElseThrow();
        Incident bare = incidents.stream().filter(i -> i.repository().startsWith("bare:")).findFirst().orElseThrow();
        assertEquals(Duration.ofSeconds(30), checkout.timeToRecover());
        assertEquals(Incident.Status.OPEN, bare.status());
    }

    @Test
    void breakGlassEndsTheRefusalsSinceTheRefLastMovedAndOnlyThose() {
        List<Event> l = new ArrayList<>();
        l.add(gate("push.refused", 0, "refs/heads/main"));        // another story: main moved after it
        l.add(gate("push.allowed", 10, "refs/heads/main"));
        l.add(gate("push.refused", 20, "refs/heads/main"));
        l.add(gate("push.refused", 25, "refs/heads/release/1")); // another ref
        l.add(gate("push.refused", 30, "refs/heads/main"));
        l.add(gate("push.break-glass", 90, "refs/heads/main"));
        Incident i = Incidents.group(l).get(0);
        assertEquals(Incident.Kind.BREAK_GLASS, i.kind());
        assertEquals(T0.plusSeconds(20), i.start());
        assertEquals(Duration.ofSeconds(70), i.timeToRecover());
        assertEquals(List.of(l.get(2).id(), l.get(4).id(), l.get(5).id()), i.eventIds());
        assertTrue(i.title().startsWith("main blocked: 2 refused pushes, then break-glass"), i.title());
    }

    @Test
    void anInstallsSelfTestRefusalIsNoBlockedRefForBreakGlassToEnd() {
        List<Event> l = new ArrayList<>();
        l.add(Event.of(EventType.PUSH_REFUSED).time(T0).repository("app").ref("refs/heads/main")
                .pusher(Event.SELF_TEST_PUSHER).build());
        l.add(gate("push.break-glass", 90, "refs/heads/main"));
        List<Incident> incidents = Incidents.group(l);
        assertEquals(1, incidents.size());
        assertEquals(List.of(l.get(1).id()), incidents.get(0).eventIds(), "the self-test's refusal is no push");
    }

    private static Event gate(String type, long s, String ref) {
        return Event.of(EventType.of(type).orElseThrow()).time(T0.plusSeconds(s)).repository("app").ref(ref).build();
    }

    /** Many interleaved stories, shuffled as several logs merged: each becomes exactly its own incident. */
    @Test
    void interleavedStoriesFromSeveralLogsStayApartWhateverTheOrderTheyAreGivenIn() {
        for (long seed = 1; seed <= 200; seed++) {
            Random rnd = new Random(seed);
            int runs = 1 + rnd.nextInt(6);
            List<Event> all = new ArrayList<>();
            int recovered = 0;
            for (int r = 0; r < runs; r++) {
                boolean ok = rnd.nextBoolean();
                recovered += ok ? 1 : 0;
                String merge = String.format("%040x", seed * 100 + r);
                String revert = String.format("%040x", seed * 100 + r + 50);
                all.addAll(revertStory(rnd.nextInt(300), "ev-run" + r, merge, revert, ok));
            }
            Collections.shuffle(all, rnd);
            List<Incident> incidents = Incidents.group(all);
            assertEquals(runs, incidents.size(), "seed " + seed);
            assertEquals(recovered, incidents.stream().filter(i -> i.status() == Incident.Status.RECOVERED).count(),
                    "seed " + seed);
            for (Incident i : incidents) {
                assertEquals(Duration.ofSeconds(65), i.timeToDetect(), "seed " + seed);
                assertEquals(8, i.eventIds().size(), "seed " + seed + ": " + i.eventIds());
            }
        }
    }
}
