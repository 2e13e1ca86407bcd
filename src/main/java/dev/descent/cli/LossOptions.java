package dev.descent.cli;

import dev.descent.loss.ClassWeights;
import dev.descent.loss.Huber;
import dev.descent.loss.Reduction;
import dev.descent.recipe.Defaults;
import dev.descent.recipe.Recipe;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options that say which loss is minimised and how per-sample losses are combined. */
public final class LossOptions {
    @Option(names = "--reduction", paramLabel = "sum|mean",
            description = "Combine per-sample losses by sum (as the thread does) or mean (default: "
                    + Defaults.SEED_REDUCTION + " for the seed example, " + Defaults.DATA_REDUCTION + " with --data).")
    String reduction;

    @Option(names = "--loss", paramLabel = "NAME",
            description = "For --task regression: mse (mean squared error) or huber (quadratic within --huber-delta, "
                    + "linear beyond) (default: " + Defaults.REGRESSION_LOSS + "). Classification always uses "
                    + "cross-entropy.")
    String lossName;

    @Option(names = "--huber-delta", paramLabel = "DELTA",
            description = "Where the Huber loss turns from quadratic to linear (default: " + Huber.DEFAULT_DELTA + ").")
    Double huberDelta;

    @Option(names = "--class-weight", paramLabel = "balanced|NAME=W,...",
            description = "Weigh each class in the cross-entropy: balanced (n / (k · n_c) from the training split, "
                    + "scikit-learn's rule) or weights by class name, such as rare=10 (others keep 1) (default: "
                    + Defaults.CLASS_WEIGHT + ").")
    String classWeight;

    /**
     * {@code recipe} with this loss, checked against its task before any data is read: a
     * regression loss only with {@code --task regression}, the Huber delta only with huber.
     */
    Recipe applyTo(Recipe recipe) {
        boolean regression = recipe.task() == Recipe.Task.REGRESSION;
        Recipe r = recipe;
        if (reduction != null) {
            try {
                r = r.withReduction(Reduction.parse(reduction));
            } catch (IllegalArgumentException e) {
                throw UserError.badValue("--reduction", reduction, "is not sum or mean");
            }
        }
        String name = lossName == null ? Defaults.REGRESSION_LOSS : lossName.trim().toLowerCase(Locale.ROOT);
        if (!regression && lossName != null && !name.equals("cross-entropy")) {
            throw UserError.badValue("--loss", lossName, "is a regression loss; add --task regression");
        }
        if (regression && !Recipe.REGRESSION_LOSSES.contains(name)) {
            throw UserError.badValue("--loss", lossName, "is not mse or huber");
        }
        if (huberDelta != null && !name.equals("huber")) {
            throw new UserError("--huber-delta: only used with --loss huber");
        }
        if (regression) {
            r = r.withRegressionLoss(name);
        }
        if (classWeight != null) {
            if (regression) {
                throw new UserError("--class-weight: a regression run has no classes; leave it out");
            }
            try {
                r = r.withClassWeights(ClassWeights.parse(classWeight));
            } catch (IllegalArgumentException e) {
                throw new UserError("--class-weight: " + e.getMessage());
            }
        }
        return huberDelta == null ? r : r.withHuberDelta(Parse.positive("--huber-delta", huberDelta));
    }
}
