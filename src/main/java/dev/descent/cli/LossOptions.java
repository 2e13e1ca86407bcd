package dev.descent.cli;

import dev.descent.loss.Reduction;
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

    SoftmaxCrossEntropy loss(Defaults preset) {
        return new SoftmaxCrossEntropy(reduction(preset));
    }
}
