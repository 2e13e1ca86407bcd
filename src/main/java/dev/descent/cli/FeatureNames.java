package dev.descent.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The feature names of a CSV file with a header: its column names without the label column, so
 * findings can say {@code 'area'} rather than {@code feature 4}. Null when there is no header or
 * the header does not match the features read.
 */
final class FeatureNames {
    private FeatureNames() {}

    static List<String> of(DataOptions options, int features) {
        Path file = options.data;
        if (file == null || options.noHeader || Files.isDirectory(file)) {
            return null;
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
        int label = names.size() - 1;
        if (options.label != null) {
            label = names.indexOf(options.label.strip());
            if (label < 0) {
                try {
                    label = Integer.parseInt(options.label.strip()) - 1;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        if (label < 0 || label >= names.size()) {
            return null;
        }
        names.remove(label);
        return names.size() == features ? names : null;
    }
}
