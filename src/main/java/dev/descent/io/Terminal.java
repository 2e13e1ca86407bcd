package dev.descent.io;

import java.util.List;
import java.util.Locale;

/**
 * Text that came from a run's data (class, feature and target names, file names, a model file's
 * provenance), made safe to print on a terminal or in a one-line message: every character that a
 * terminal would act on rather than show is written as <code>&#92;u001b</code>. Those are the C0 controls
 * (line breaks, tab and ESC among them), DEL, the C1 controls (which some terminals take as ESC
 * sequences), the Unicode line and paragraph separators, and the bidirectional overrides and
 * isolates that reorder what follows them. So a name cannot clear the screen, set the window's
 * title, or make one line of output two; everything else, accents and other scripts included,
 * is printed as it is.
 *
 * <p>Only where text reaches a terminal or a message: files (CSV, JSON, the report) keep it as it
 * is, each written by its format's own rules.
 */
public final class Terminal {
    /** Characters of a name that a message shows at most; the rest is cut, and said to be. */
    public static final int SHOWN = 60;

    /** Names a message lists at most; the rest are counted. */
    public static final int LISTED = 20;

    private Terminal() {}

    /** Whether a terminal acts on {@code c} rather than showing it. */
    static boolean acts(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029' || c == '\u061c'
                || c == '\u200e' || c == '\u200f' || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069';
    }

    /** {@code text} with every character a terminal acts on written as <code>&#92;uXXXX</code>; the same string when there is none. */
    public static String escape(String text) {
        return escape(text, false);
    }

    /**
     * The same, but leaving line breaks ({@code \n}, and {@code \r} before one) as they are: for
     * text of several lines that Descent laid out itself, a table under a header line, whose data
     * (names) was escaped with {@link #escape} where it was put in.
     */
    public static String escapeKeepingLines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLines) {
        int i = 0, n = text.length();
        while (i < n && !(acts(text.charAt(i)) && !isLineBreak(text, i, keepLines))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder sb = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (acts(c) && !isLineBreak(text, i, keepLines)) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isLineBreak(String text, int i, boolean keepLines) {
        char c = text.charAt(i);
        return keepLines && (c == '\n' || c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n');
    }

    /**
     * {@code text} escaped and, when longer than {@link #SHOWN} characters, cut there:
     * {@code LLLL... (70000 characters)}. For names inside a message, which must stay one
     * readable line whatever the data holds.
     */
    public static String shown(String text) {
        if (text.length() <= SHOWN) {
            return escape(text);
        }
        return escape(text.substring(0, SHOWN)) + String.format(Locale.ROOT, "... (%,d characters)", text.length());
    }

    /** {@code names}, each {@link #shown}, joined by {@code ", "}; past {@link #LISTED} of them, the rest counted. */
    public static String list(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size() && i < LISTED; i++) {
            sb.append(i == 0 ? "" : ", ").append(shown(names.get(i)));
        }
        if (names.size() > LISTED) {
            sb.append(String.format(Locale.ROOT, " and %,d more", names.size() - LISTED));
        }
        return sb.toString();
    }
}
