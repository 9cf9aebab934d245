package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatekeeper demo}: every story with real pushes, from the packaged distribution, ending with its incident
 * report, which headless Chromium then opens: the DOM it builds must show the stabilize incident recovered, with
 * its time to detect and recover, and every event id it names must be on the page.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class DemoIT {
    private static final Pattern REPORT = Pattern.compile("Incident report: (\\S+report\\.html)");
    /** Where the screenshot is kept for people to look at (failsafe runs in the module's folder). */
    static final Path ARTEFACTS = Path.of("target", "report-artefacts");

    @Test
    void theDemoGoesAsToldAndItsIncidentReportRendersInChromium(@TempDir Path root) throws IOException {
        Dist dist = new Dist(Env.isolated(root));
        Proc.Result r = dist.run(root, Map.of(), null, Duration.ofSeconds(300), "demo", "--dir",
                root.resolve("demo").toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("Every step went as told"), r.describe());
        assertTrue(!r.stdout().contains("UNEXPECTED"), r.describe());
        Matcher m = REPORT.matcher(r.stdout());
        assertTrue(m.find(), "the demo should end with the report's path\n" + r.describe());
        Path report = Path.of(m.group(1));
        assertTrue(Files.isRegularFile(report), report.toString());
        Files.createDirectories(ARTEFACTS);
        Files.copy(report, ARTEFACTS.resolve("demo-report.html"), StandardCopyOption.REPLACE_EXISTING);

        Path chromium = Tools.require("chromium", "chromium");
        String dom = chromium(chromium, root, "--dump-dom", report.toUri().toString()).stdout();
        Files.writeString(ARTEFACTS.resolve("demo-report.dom.html"), dom, StandardCharsets.UTF_8);

        // the browser parsed the page (it adds tbody, it keeps the CSP) and nothing in it reaches the network
        assertTrue(dom.contains("<title>Gatekeeper report</title>"), dom);
        assertTrue(dom.contains("Content-Security-Policy"), dom);
        assertTrue(!Pattern.compile("(src|href)=\"(https?:)?//").matcher(dom).find(), "external reference in\n" + dom);
        assertTrue(!dom.contains("<script"), "no script in the report");

        // the stabilize incident: recovered, with its time to detect and to recover, in under two minutes
        Matcher row = Pattern.compile("<tr[^>]*data-kind=\"revert\"[^>]*>").matcher(dom);
        assertTrue(row.find(), "no revert incident in the DOM\n" + dom);
        String tr = row.group();
        assertTrue(tr.contains("data-status=\"recovered\""), tr);
        long ttd = attr(tr, "data-ttd-ms");
        long ttr = attr(tr, "data-ttr-ms");
        assertTrue(ttd > 0 && ttd <= ttr && ttr < 120_000, "time to detect " + ttd + " ms, to recover " + ttr + " ms");
        String cells = dom.substring(row.start(), dom.indexOf("</tr>", row.start()));
        assertTrue(cells.contains("reverted, recovered"), cells);
        assertTrue(Pattern.compile("<td class=\"ttr\">\\d").matcher(cells).find(), cells);

        // every incident names its events, and each one is on the page to look up
        Set<String> rows = new HashSet<>();
        Matcher ev = Pattern.compile("<tr class=\"event[^\"]*\" id=\"(ev-[a-z0-9-]+)\"").matcher(dom);
        while (ev.find()) {
            rows.add(ev.group(1));
        }
        Matcher links = Pattern.compile("<a href=\"#(ev-[a-z0-9-]+)\">").matcher(dom);
        List<String> missing = new ArrayList<>();
        int n = 0;
        while (links.find()) {
            n++;
            if (!rows.contains(links.group(1))) {
                missing.add(links.group(1));
            }
        }
        assertTrue(n >= 5, "the incidents should link their events");
        assertEquals(List.of(), missing, "incident event ids without a row on the page");
        for (String kind : List.of("break-glass", "drift")) {
            assertTrue(dom.contains("data-kind=\"" + kind + "\""), "no " + kind + " incident\n" + dom);
        }
        for (String lane : List.of("pushes", "refusals", "reverts", "drift")) {
            assertTrue(dom.contains("data-lane=\"" + lane + "\""), "no " + lane + " lane in the timeline");
        }

        // a picture for people: kept under target/
        Path png = ARTEFACTS.resolve("demo-report.png").toAbsolutePath();
        Files.deleteIfExists(png);
        chromium(chromium, root, "--window-size=1280,1800", "--screenshot=" + png, report.toUri().toString());
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 20_000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G',
                "a PNG screenshot of the report at " + png);
    }

    /** Headless Chromium as root, no sandbox, no network chatter, a throw-away profile. */
    private static Proc.Result chromium(Path chromium, Path root, String... args) throws IOException {
        Path profile = Files.createTempDirectory(root, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-extensions",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Map<String, String> env = Env.isolated(root);
        return Proc.run(root, env, null, Duration.ofSeconds(90), cmd).expectOk();
    }

    private static long attr(String tag, String name) {
        Matcher m = Pattern.compile(name + "=\"(\\d+)\"").matcher(tag);
        assertTrue(m.find(), name + " missing in " + tag);
        return Long.parseLong(m.group(1));
    }
}
