package dev.descent.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cv's grid: train's options with alternatives separated by commas ({@code --lr 0.1,0.01
 * --layers 64,128-64}), made into one list of train's options per combination, in the order the
 * options were given (the first varying slowest). A network of several hidden layers is one
 * alternative written with dashes, {@code 128-64}, as the README writes 784-128-10; every other
 * option passes through as given.
 */
final class Grid {
    private Grid() {}

    /** The options whose value may list alternatives. */
    static final List<String> OPTIONS = List.of("--lr", "--layers", "--epochs", "--batch", "--weight-decay",
            "--dropout", "--optimizer", "--activation", "--momentum", "--reduction", "--init");

    /** The most combinations a grid may have. */
    static final int MAX_COMBINATIONS = 100;

    /** One combination: the alternative it takes of each option that has several, and train's options for it. */
    record Combination(Map<String, String> settings, List<String> args) {}

    static List<Combination> expand(List<String> args) {
        List<String> fixed = new ArrayList<>();
        Map<String, List<String>> alternatives = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (!OPTIONS.contains(name)) {
                fixed.add(a);
                continue;
            }
            String value;
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                fixed.add(a); // train's own parser says what is missing
                continue;
            }
            List<String> list = alternatives.computeIfAbsent(name, k -> new ArrayList<>());
            for (String v : value.split(",", -1)) {
                if (v.isBlank()) {
                    throw UserError.badValue(name, value, "has an empty alternative; separate the values of a grid "
                            + "by single commas");
                }
                list.add(name.equals("--layers") ? v.trim().replace('-', ',') : v.trim());
            }
        }
        long count = 1;
        for (List<String> list : alternatives.values()) {
            count *= list.size();
            if (count > MAX_COMBINATIONS) {
                throw new UserError("cv: the grid has more than " + MAX_COMBINATIONS + " combinations; give fewer "
                        + "alternatives");
            }
        }
        List<Combination> out = new ArrayList<>();
        out.add(new Combination(new LinkedHashMap<>(), new ArrayList<>(fixed)));
        for (Map.Entry<String, List<String>> option : alternatives.entrySet()) {
            List<Combination> next = new ArrayList<>();
            for (Combination c : out) {
                for (String v : option.getValue()) {
                    Map<String, String> settings = new LinkedHashMap<>(c.settings());
                    List<String> a = new ArrayList<>(c.args());
                    a.add(option.getKey());
                    a.add(v);
                    if (option.getValue().size() > 1) {
                        settings.put(option.getKey(), option.getKey().equals("--layers") ? v.replace(',', '-') : v);
                    }
                    next.add(new Combination(settings, a));
                }
            }
            out = next;
        }
        return out;
    }
}
