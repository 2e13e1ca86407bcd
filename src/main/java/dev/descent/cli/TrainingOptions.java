package dev.descent.cli;

import dev.descent.fused.FusedBackprop;
import dev.descent.gradient.FastCentralDifference;
import dev.descent.train.TrainingStep;
import dev.descent.optim.Adam;
import dev.descent.optim.LearningRateSchedule;
import dev.descent.optim.Momentum;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Dtype;
import dev.descent.train.Trainer;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options that say how to train: gradient source, step, optimizer, learning rate, batches, epochs. */
public final class TrainingOptions {
    @Option(names = "--gradient", paramLabel = "SOURCE",
            description = "Where gradients come from: backprop (analytic) or numerical (central differences, "
                    + "(L(θ+h) − L(θ−h)) / 2h for every parameter) (default: backprop).")
    String gradient;

    @Option(names = "--h", paramLabel = "STEP",
            description = "Finite-difference step for --gradient numerical (default: " + Defaults.H
                    + ", suited to double precision).")
    Double h;

    @Option(names = "--dtype", paramLabel = "TYPE",
            description = "float64 or float32: the number type of backpropagation's arithmetic and of the "
                    + "parameters' updates. float32 takes about 60%% of the time with the same accuracy; float64 "
                    + "is the reference, and the only type for --gradient numerical (default: " + Defaults.SEED_DTYPE
                    + " for the seed example, " + Defaults.DATA_DTYPE + " with --data, as accurate there and faster).")
    String dtype;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "sgd (plain gradient descent), momentum (0.9) or adam (betas 0.9, 0.999) (default: "
                    + Defaults.OPTIMIZER + ").")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate (default: " + Defaults.SEED_LR + " for the seed example, " + Defaults.DATA_LR
                    + " with --data; " + Adam.DEFAULT_LR + " with --optimizer adam).")
    Double lr;

    @Option(names = "--batch", paramLabel = "N|full",
            description = "Samples per step, reshuffled every epoch, or full for the whole set (default: "
                    + Defaults.SEED_BATCH + " for the seed example, " + Defaults.DATA_BATCH + " with --data).")
    String batch;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Number of passes over the data (default: " + Defaults.SEED_EPOCHS
                    + " for the seed example, " + Defaults.DATA_EPOCHS + " with --data).")
    Integer epochs;

    @Option(names = "--momentum", paramLabel = "BETA",
            description = "Momentum's β, in [0, 1), with --optimizer momentum (default: " + Momentum.DEFAULT_BETA + ").")
    Double momentum;

    @Option(names = "--beta1", paramLabel = "BETA",
            description = "Adam's β1, in [0, 1) (default: " + Adam.DEFAULT_BETA1 + ").")
    Double beta1;

    @Option(names = "--beta2", paramLabel = "BETA",
            description = "Adam's β2, in [0, 1) (default: " + Adam.DEFAULT_BETA2 + ").")
    Double beta2;

    @Option(names = "--eps", paramLabel = "EPS",
            description = "Adam's ε, added to √v̂ (default: " + Adam.DEFAULT_EPSILON + ").")
    Double eps;

    @Option(names = "--weight-decay", paramLabel = "LAMBDA",
            description = "L2 weight decay λ on every parameter: λ·θ added to the gradient for sgd and momentum "
                    + "(PyTorch's weight_decay), decoupled for adam (AdamW) (default: 0).")
    Double weightDecay;

    @Option(names = "--lr-schedule", paramLabel = "KIND",
            description = "constant, step (x --lr-gamma every --lr-step-size epochs) or cosine (annealed to 0 "
                    + "by the last epoch) (default: constant).")
    String lrSchedule;

    @Option(names = "--warmup-epochs", paramLabel = "N",
            description = "Raise the learning rate linearly over the first N epochs (default: 0).")
    Integer warmupEpochs;

    @Option(names = "--lr-step-size", paramLabel = "N",
            description = "Epochs between cuts of --lr-schedule step (default: a third of the epochs).")
    Integer lrStepSize;

    @Option(names = "--lr-gamma", paramLabel = "FACTOR",
            description = "The factor of each cut of --lr-schedule step, in (0, 1] (default: "
                    + LearningRateSchedule.DEFAULT_GAMMA + ").")
    Double lrGamma;

    /** How each step is computed: the fused backprop step, or central differences then the update. */
    TrainingStep trainingStep(Defaults preset) {
        String g = gradient == null ? "backprop" : gradient.toLowerCase(Locale.ROOT);
        switch (g) {
            case "backprop":
                if (h != null) {
                    throw new UserError("--h: only used with --gradient numerical");
                }
                return new FusedBackprop(dtype(preset));
            case "numerical":
                if (dtype != null && parseDtype(dtype) != Dtype.FLOAT64) {
                    throw new UserError("--dtype " + dtype + ": central differences need float64 (a difference "
                            + "over h = 1e-6 keeps about 10 digits in float64 and 1 in float32); "
                            + "drop --dtype or use --gradient backprop");
                }
                return TrainingStep.of(new FastCentralDifference(h == null ? Defaults.H : Parse.positive("--h", h)));
            default:
                throw UserError.badValue("--gradient", gradient, "is not backprop or numerical");
        }
    }

    /** The number type of backpropagation: --dtype, or the preset's default. */
    Dtype dtype(Defaults preset) {
        return parseDtype(dtype == null ? Defaults.dtype(preset) : dtype);
    }

    /** Why the number type is what it is, for the header, when it is a default that differs from float64. */
    String dtypeNote(Defaults preset) {
        return dtype == null && gradient == null && Dtype.of(Defaults.dtype(preset)) == Dtype.FLOAT32
                ? " (the default with --data: as accurate as float64 here, and faster; --dtype float64 for the "
                        + "reference)" : "";
    }

    /** The value of --dtype, or a one-line error naming it. */
    static Dtype parseDtype(String dtype) {
        try {
            return Dtype.of(dtype.trim());
        } catch (IllegalArgumentException e) {
            throw UserError.badValue("--dtype", dtype, "is not float64 or float32");
        }
    }

    String optimizerName() {
        String name = optimizer == null ? Defaults.OPTIMIZER : optimizer.toLowerCase(Locale.ROOT);
        if (!Optimizers.NAMES.contains(name)) {
            throw UserError.badValue("--optimizer", optimizer, "is not one of " + String.join(", ", Optimizers.NAMES));
        }
        return name;
    }

    double learningRate(Defaults preset) {
        if (lr != null) {
            return Parse.positive("--lr", lr);
        }
        return optimizerName().equals("adam") ? Adam.DEFAULT_LR : preset.learningRate();
    }

    Optimizer optimizer(Defaults preset) {
        return Optimizers.create(optimizerName(), learningRate(preset));
    }

    /** Every constant of the optimizer, checked; a constant the chosen optimizer does not have is an error. */
    Optimizers.Settings optimizerSettings(Defaults preset) {
        String name = optimizerName();
        onlyWith("--momentum", momentum, name, "momentum");
        onlyWith("--beta1", beta1, name, "adam");
        onlyWith("--beta2", beta2, name, "adam");
        onlyWith("--eps", eps, name, "adam");
        Optimizers.Settings s = new Optimizers.Settings(name, learningRate(preset),
                momentum == null ? Momentum.DEFAULT_BETA : unitInterval("--momentum", momentum),
                beta1 == null ? Adam.DEFAULT_BETA1 : unitInterval("--beta1", beta1),
                beta2 == null ? Adam.DEFAULT_BETA2 : unitInterval("--beta2", beta2),
                eps == null ? Adam.DEFAULT_EPSILON : Parse.positive("--eps", eps),
                weightDecay == null ? 0.0 : nonNegative("--weight-decay", weightDecay));
        Optimizers.create(s); // every value is checked above; this cannot fail on them
        return s;
    }

    /** The learning rate of each epoch, checked against the number of epochs. */
    LearningRateSchedule schedule(Defaults preset) {
        String kind = lrSchedule == null ? "constant" : lrSchedule.trim().toLowerCase(Locale.ROOT);
        if (!LearningRateSchedule.KINDS.contains(kind)) {
            throw UserError.badValue("--lr-schedule", lrSchedule, "is not one of "
                    + String.join(", ", LearningRateSchedule.KINDS));
        }
        if (!kind.equals("step") && (lrStepSize != null || lrGamma != null)) {
            throw new UserError((lrStepSize != null ? "--lr-step-size" : "--lr-gamma")
                    + ": only used with --lr-schedule step");
        }
        int e = epochs(preset);
        int warmup = warmupEpochs == null ? 0 : warmupEpochs;
        if (warmup < 0 || warmup >= e) {
            throw UserError.badValue("--warmup-epochs", warmupEpochs, "must be from 0 to " + (e - 1)
                    + ", fewer than the " + e + " epochs");
        }
        int stepSize = lrStepSize == null ? Math.max(1, (e - warmup) / 3) : Parse.atLeastOne("--lr-step-size", lrStepSize);
        double gamma = lrGamma == null ? LearningRateSchedule.DEFAULT_GAMMA : lrGamma;
        if (!(gamma > 0 && gamma <= 1)) {
            throw UserError.badValue("--lr-gamma", lrGamma, "must be in (0, 1]");
        }
        return new LearningRateSchedule(kind, learningRate(preset), e, warmup, stepSize, gamma);
    }

    private static void onlyWith(String flag, Double value, String optimizer, String needed) {
        if (value != null && !optimizer.equals(needed)) {
            throw new UserError(flag + ": only used with --optimizer " + needed + " (this run uses " + optimizer + ")");
        }
    }

    private static double unitInterval(String flag, double v) {
        if (!(v >= 0 && v < 1)) {
            throw UserError.badValue(flag, v, "must be in [0, 1)");
        }
        return v;
    }

    private static double nonNegative(String flag, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw UserError.badValue(flag, v, "must be zero or positive and finite");
        }
        return v;
    }

    int epochs(Defaults preset) {
        return epochs == null ? preset.epochs() : Parse.atLeastOne("--epochs", epochs);
    }

    int batch(Defaults preset) {
        if (batch == null) {
            return preset.batch();
        }
        if (batch.equalsIgnoreCase("full")) {
            return Trainer.FULL_BATCH;
        }
        try {
            return Parse.atLeastOne("--batch", Integer.parseInt(batch.trim()));
        } catch (NumberFormatException e) {
            throw UserError.badValue("--batch", batch, "is not a whole number of samples or 'full'");
        }
    }
}
