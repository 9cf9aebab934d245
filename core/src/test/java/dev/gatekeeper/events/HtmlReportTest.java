package dev.gatekeeper.events;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    @Test
    void whatEventsSayIsEscapedSoAPushReasonCannotInjectMarkup() {
        Event e = Event.of(EventType.PUSH_REFUSED).time(Instant.parse("2025-06-01T12:00:00Z")).repository("app")
                .ref("refs/heads/<script>").reason("\"><img src=https://evil.example/x onerror=alert(1)>").build();
        String html = HtmlReport.render(List.of(e), Incidents.group(List.of(e)), List.of("/srv/<log>"),
                Instant.parse("2025-06-01T13:00:00Z"));
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<img"), html);
        assertTrue(html.contains("&lt;img src=https://evil.example/x onerror=alert(1)&gt;"), html);
        assertTrue(html.contains("refs/heads/&lt;script&gt;"), html);
        assertTrue(html.contains("default-src 'none'"), "a CSP forbids every external load");
    }

    @Test
    void anEmptyLogIsAPageThatSaysSo() {
        String html = HtmlReport.render(List.of(), List.of(), List.of(), Instant.EPOCH);
        assertTrue(html.contains("No events.") && html.contains("No incidents."), html);
        assertTrue(html.endsWith("</html>\n"));
    }
}
