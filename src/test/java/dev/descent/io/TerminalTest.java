package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TerminalTest {
    @Test
    void everyCharacterATerminalActsOnIsWrittenOutAndNothingElse() {
        assertEquals("\\u001b]0;title\\u0007\\u001b[2J", Terminal.escape("\u001b]0;title\u0007\u001b[2J"));
        assertEquals("two\\u000alines\\u000d, tab\\u0009, del\\u007f, csi\\u009b", Terminal.escape("two\nlines\r, tab\t, del\u007f, csi\u009b"));
        assertEquals("\\u202eevil\\u202c \\u2066x\\u2069 \\u2028", Terminal.escape("\u202eevil\u202c \u2066x\u2069 \u2028"));
        String plain = "Déjà vu, 東京, ☃, \"quoted\", a\\b";
        assertSame(plain, Terminal.escape(plain), "nothing to escape: the same string, nothing allocated");
    }

    @Test
    void linesLaidOutByDescentStayLinesWhenAsked() {
        assertEquals("table\n  row\r\n\\u001b", Terminal.escapeKeepingLines("table\n  row\r\n\u001b"));
        assertEquals("lone\\u000dreturn", Terminal.escapeKeepingLines("lone\rreturn"));
    }

    @Test
    void aLongNameIsCutAndSaysHowLongItWas() {
        assertEquals("x".repeat(60), Terminal.shown("x".repeat(60)));
        assertEquals("x".repeat(60) + "... (1,000,000 characters)", Terminal.shown("x".repeat(1_000_000)));
        List<String> many = IntStream.range(0, 25).mapToObj(i -> "c" + i).toList();
        assertEquals(String.join(", ", many.subList(0, 20)) + " and 5 more", Terminal.list(many));
    }
}
