package dev.descent.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * "did you mean --lr?" for an option the command does not have: the names people type for the
 * same thing in other tools ({@code --learning-rate}, {@code --batch-size}), then the command's
 * options closest to what was typed, by edit distance or as a prefix (a missing or extra letter,
 * {@code --epoch}), then picocli's own suggestions ({@code UnmatchedArgumentException}).
 */
final class Suggestions {
    private Suggestions() {}

    /** Names from elsewhere for Descent's options (Keras, PyTorch scripts, scikit-learn). */
    static final Map<String, String> ALIASES = Map.ofEntries(Map.entry("--learning-rate", "--lr"),
            Map.entry("--learningrate", "--lr"), Map.entry("--lr-rate", "--lr"), Map.entry("--rate", "--lr"),
            Map.entry("--batch-size", "--batch"), Map.entry("--batchsize", "--batch"),
            Map.entry("--n-epochs", "--epochs"), Map.entry("--max-iter", "--epochs"),
            Map.entry("--hidden", "--layers"), Map.entry("--hidden-layers", "--layers"),
            Map.entry("--hidden-layer-sizes", "--layers"), Map.entry("--random-state", "--seed"),
            Map.entry("--alpha", "--weight-decay"), Map.entry("--l2", "--weight-decay"),
            Map.entry("--output", "--out"), Map.entry("--model-file", "--model"), Map.entry("--train", "--data"),
            Map.entry("--class-weights", "--class-weight"), Map.entry("--k-folds", "--folds"),
            Map.entry("--kfold", "--folds"), Map.entry("--cv", "--folds"));

    /** {@code ; did you mean --lr?}, or nothing when the mistake is not an unknown option or nothing is close. */
    static String of(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return "";
        }
        String typed = u.getUnmatched().get(0);
        if (!typed.startsWith("-")) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (OptionSpec o : ex.getCommandLine().getCommandSpec().options()) {
            names.addAll(List.of(o.names()));
        }
        List<String> found = suggest(typed, names);
        if (found.isEmpty()) {
            found = u.getSuggestions().stream().filter(s -> s.startsWith("-")).limit(3).toList();
        }
        return found.isEmpty() ? "" : "; did you mean " + String.join(" or ", found) + "?";
    }

    /** Options of {@code names} that {@code typed} (without a value after =) probably meant, best first. */
    static List<String> suggest(String typed, List<String> names) {
        String t = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        t = t.toLowerCase(Locale.ROOT).replace('_', '-');
        Set<String> out = new LinkedHashSet<>();
        String alias = ALIASES.get(t);
        if (alias != null && names.contains(alias)) {
            out.add(alias);
        }
        if (names.contains(t)) { // --LR, --batch_size: a spelling of an option
            out.add(t);
        }
        int best = Integer.MAX_VALUE;
        List<String> closest = new ArrayList<>();
        for (String n : names) {
            if (!n.startsWith("--")) {
                continue;
            }
            int d = distance(t, n);
            if (d < best) {
                best = d;
                closest.clear();
            }
            if (d == best) {
                closest.add(n);
            }
        }
        if (best <= Math.max(1, t.length() / 4)) {
            out.addAll(closest);
        }
        for (String n : names) {
            if (n.startsWith("--") && t.length() >= 5 && (n.startsWith(t) || t.startsWith(n) && n.length() >= 4)) {
                out.add(n);
            }
        }
        return out.stream().limit(3).toList();
    }

    /** Edit distance with two neighbouring letters swapped counting one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i][j - 1] + 1, d[i - 1][j] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
