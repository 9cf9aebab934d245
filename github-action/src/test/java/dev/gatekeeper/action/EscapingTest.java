package dev.gatekeeper.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class EscapingTest {

    @Test
    void dataEscapesPercentCrLf() {
        assertEquals("100%25 done%0D%0Anext: a,b", ActionMain.escapeData("100% done\r\nnext: a,b"));
        assertEquals("%2525", ActionMain.escapeData("%25"));
    }

    @Test
    void propertyAlsoEscapesColonAndComma() {
        assertEquals("a%3Ab%2Cc%25d%0De%0Af", ActionMain.escapeProperty("a:b,c%d\re\nf"));
        assertEquals("C%3A\\dir%2Cx.yaml", ActionMain.escapeProperty("C:\\dir,x.yaml"));
    }

    @Test
    void argsSplitLikeAShell() {
        assertEquals(List.of("--expect", "abc", "--contains"), ActionMain.split("  --expect abc\n --contains "));
        assertEquals(List.of("--probe", "cmd:curl -f http://x", "a b", "it's", "q\"d", ""),
                ActionMain.split("--probe 'cmd:curl -f http://x' \"a b\" it\\'s \"q\\\"d\" ''"));
        assertEquals(List.of(), ActionMain.split(""));
        assertThrows(IllegalArgumentException.class, () -> ActionMain.split("'open"));
    }
}
