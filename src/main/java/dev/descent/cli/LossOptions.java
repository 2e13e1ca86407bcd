package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.loss.Huber;
import dev.descent.loss.Loss;
import dev.descent.loss.MeanSquaredError;
import dev.descent.loss.Reduction;
import dev.descent.loss.RegressionLoss;
import dev.descent.tensor.Matrix;
import dev.descent.loss.SoftmaxCrossEntropy;
import picocli.CommandLine.Option;

/** The option that says how per-sample losses are combined. */
public final class LossOptions {
    @Option(names = "--reduction", paramLabel = "sum|mean",
            description = "Combine per-sample losses by sum (as the thread does) or mean (default: "
                    + Defaults.SEED_REDUCTION + " for the seed example, " + Defaults.DATA_REDUCTION + " with --data).")
    String reduction;

    Reduction reduction(Defaults preset) {
        if (reduction == null) {
            return preset.reduction();
        }
        try {
            return Reduction.parse(reduction);
        } catch (IllegalArgumentException e) {
            throw UserError.badValue("--reduction", reduction, "is not sum or mean");
        }
    }

    @Option(names = "--loss", paramLabel = "NAME",
            description = "For --task regression: mse (mean squared error) or huber (quadratic within --huber-delta, "
                    + "linear beyond) (default: mse). Classification always uses cross-entropy.")
    String lossName;

    @Option(names = "--huber-delta", paramLabel = "DELTA",
            description = "Where the Huber loss turns from quadratic to linear (default: " + Huber.DEFAULT_DELTA + ").")
    Double huberDelta;

    SoftmaxCrossEntropy loss(Defaults preset) {
        return new SoftmaxCrossEntropy(reduction(preset));
    }

    /** The loss for {@code data}: cross-entropy for classes, the regression loss on its targets for regression. */
    Loss loss(Defaults preset, Dataset data) {
        if (!data.isRegression()) {
            return loss(preset);
        }
        return regressionLoss(preset, data.targets());
    }

    /** Checks --loss and --huber-delta against the task, before any data is read. */
    void check(boolean regression) {
        String name = lossName();
        if (!regression && lossName != null && !name.equals("cross-entropy")) {
            throw UserError.badValue("--loss", lossName, "is a regression loss; add --task regression");
        }
        if (regression && !name.equals("mse") && !name.equals("huber")) {
            throw UserError.badValue("--loss", lossName, "is not mse or huber");
        }
        if (huberDelta != null && !name.equals("huber")) {
            throw new UserError("--huber-delta: only used with --loss huber");
        }
        if (huberDelta != null) {
            Parse.positive("--huber-delta", huberDelta);
        }
    }

    private String lossName() {
        return lossName == null ? "mse" : lossName.trim().toLowerCase(java.util.Locale.ROOT);
    }

    RegressionLoss regressionLoss(Defaults preset, Matrix targets) {
        return lossName().equals("huber")
                ? new Huber(reduction(preset), targets, huberDelta == null ? Huber.DEFAULT_DELTA : huberDelta)
                : new MeanSquaredError(reduction(preset), targets);
    }
}
