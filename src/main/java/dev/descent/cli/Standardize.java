package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.data.Features;
import dev.descent.data.Standardization;
import dev.descent.io.Terminal;
import java.util.List;

/**
 * {@code --standardize} and {@code --standardize-targets}: the training split's statistics, or one
 * line naming the feature or target whose values a double cannot standardise.
 */
final class Standardize {
    private Standardize() {}

    /** The features' statistics; names from the CSV header where there is one. */
    static Standardization features(Dataset data, DataOptions options) {
        return fit("--standardize", "feature", data.features(), () -> FeatureNames.of(options, data.featureCount()));
    }

    /** The targets' statistics (a regression set's), named as the data names them. */
    static Standardization targets(Dataset data) {
        return fit("--standardize-targets", "target", Features.of(data.rowTargets()), data::classNames);
    }

    private static Standardization fit(String flag, String noun, Features x,
            java.util.function.Supplier<List<String>> names) {
        try {
            return Standardization.fit(x);
        } catch (Standardization.NotRepresentable e) {
            List<String> known = names.get();
            int j = e.column();
            String which = known != null && j < known.size() ? "'" + Terminal.shown(known.get(j)) + "'"
                    : Integer.toString(j + 1);
            throw new UserError(flag + ": " + noun + " " + which + ": " + e.getMessage());
        }
    }
}
