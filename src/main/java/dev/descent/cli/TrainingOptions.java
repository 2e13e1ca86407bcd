package dev.descent.cli;

import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.CentralDifference;
import dev.descent.gradient.GradientSource;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options that say how to train: gradient source, finite-difference step, learning rate, epochs. */
public final class TrainingOptions {
    @Option(names = "--gradient", paramLabel = "SOURCE",
            description = "Where gradients come from: backprop (analytic) or numerical (central differences, "
                    + "(L(θ+h) − L(θ−h)) / 2h for every parameter) (default: backprop).")
    String gradient;

    @Option(names = "--h", paramLabel = "STEP",
            description = "Finite-difference step for --gradient numerical (default: " + Defaults.H
                    + ", suited to double precision).")
    Double h;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate of gradient descent (default: " + Defaults.SEED_LR
                    + " for the seed example, " + Defaults.DATA_LR + " with --data).")
    Double lr;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Number of epochs, full-batch steps (default: " + Defaults.SEED_EPOCHS
                    + " for the seed example, " + Defaults.DATA_EPOCHS + " with --data).")
    Integer epochs;

    GradientSource gradientSource() {
        String g = gradient == null ? "backprop" : gradient.toLowerCase(Locale.ROOT);
        switch (g) {
            case "backprop":
                if (h != null) {
                    throw new UserError("--h: only used with --gradient numerical");
                }
                return new Backpropagation();
            case "numerical":
                return new CentralDifference(h == null ? Defaults.H : Parse.positive("--h", h));
            default:
                throw UserError.badValue("--gradient", gradient, "is not backprop or numerical");
        }
    }

    double learningRate(Defaults preset) {
        return lr == null ? preset.learningRate() : Parse.positive("--lr", lr);
    }

    int epochs(Defaults preset) {
        return epochs == null ? preset.epochs() : Parse.atLeastOne("--epochs", epochs);
    }
}
