package dev.descent.live;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page template with named markers, {@code {{name}}}, or {@code /*{{name}}*&#47;} where a
 * marker must also be a comment of the style or script around it. The markers are found once, in
 * the template's own text, and filled by their position: what is put in (the events of a run,
 * whose class names and provenance may hold any text, a marker's spelling included) is never
 * searched again, so no data can reach a marker or move a piece of the page.
 */
final class Template {
    private static final Pattern MARKER = Pattern.compile("/\\*\\{\\{([a-z.]+)\\}\\}\\*/|\\{\\{([a-z.]+)\\}\\}");

    /** The text between the markers: one more piece than there are markers. */
    private final List<String> pieces = new ArrayList<>();
    /** Each marker's name, in the order of the text. */
    private final List<String> names = new ArrayList<>();

    Template(String text) {
        Matcher m = MARKER.matcher(text);
        int from = 0;
        while (m.find()) {
            pieces.add(text.substring(from, m.start()));
            names.add(m.group(1) != null ? m.group(1) : m.group(2));
            from = m.end();
        }
        pieces.add(text.substring(from));
    }

    /** The markers' names, in order. */
    List<String> names() {
        return List.copyOf(names);
    }

    /**
     * The template with each marker replaced by its value; every marker must have one, and every
     * value a marker (a mismatch is a bug in Descent, not in the data).
     */
    String fill(Map<String, String> values) {
        Set<String> unused = new HashSet<>(values.keySet());
        long size = pieces.stream().mapToLong(String::length).sum();
        for (String name : names) {
            String v = values.get(name);
            if (v == null) {
                throw new IllegalStateException("the template's marker " + name + " has no value");
            }
            size += v.length();
            unused.remove(name);
        }
        if (!unused.isEmpty()) {
            throw new IllegalStateException("values for markers the template does not have: " + unused);
        }
        StringBuilder sb = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 16, size));
        for (int i = 0; i < names.size(); i++) {
            sb.append(pieces.get(i)).append(values.get(names.get(i)));
        }
        return sb.append(pieces.get(names.size())).toString();
    }
}
