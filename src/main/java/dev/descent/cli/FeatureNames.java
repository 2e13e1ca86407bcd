package dev.descent.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The feature names of a CSV file with a header: its column names without the label column (or a
 * regression set's target columns), so findings can say {@code 'area'} rather than
 * {@code feature 4}. Null when there is no header or the header does not match the features read.
 */
final class FeatureNames {
    private FeatureNames() {}

    static List<String> of(DataOptions options, int features) {
        if (options.encodedNames != null) { // encoded columns: sex=male, city=(other), ...
            return options.encodedNames.size() == features ? options.encodedNames : null;
        }
        Path file = options.data;
        if (file == null || options.noHeader || !Files.isRegularFile(file)) {
            return null; // a pipe was read once, by the data's reader: its header is not read again
        }
        String header;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            header = r.readLine();
        } catch (IOException | RuntimeException e) {
            return null; // names are a courtesy; the data itself was read and checked elsewhere
        }
        if (header == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String s : header.split(",", -1)) {
            names.add(s.strip().replaceAll("^\"|\"$", ""));
        }
        List<Integer> labels = new ArrayList<>();
        if (options.label == null) {
            labels.add(names.size() - 1);
        } else {
            // regression may name several target columns, separated by commas
            String whole = options.label.strip();
            for (String spec : names.contains(whole) ? List.of(whole) : List.of(whole.split(","))) {
                int label = names.indexOf(spec.strip());
                if (label < 0) {
                    try {
                        label = Integer.parseInt(spec.strip()) - 1;
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
                if (label < 0 || label >= names.size() || labels.contains(label)) {
                    return null;
                }
                labels.add(label);
            }
        }
        labels.sort(Comparator.reverseOrder());
        for (int label : labels) {
            names.remove(label);
        }
        return names.size() == features ? names : null;
    }
}
