package dev.descent.cli;

import dev.descent.loss.Objective;
import dev.descent.optim.Adam;
import dev.descent.optim.LearningRateSchedule;
import dev.descent.optim.Momentum;
import dev.descent.optim.Optimizers;
import dev.descent.recipe.Defaults;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Dtype;
import dev.descent.train.ReduceLROnPlateau;
import dev.descent.train.Trainer;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options that say how to train: gradient source, step, optimizer, learning rate, batches, epochs. */
public final class TrainingOptions {
    @Option(names = "--gradient", paramLabel = "SOURCE",
            description = "Where gradients come from: backprop (analytic), numerical (central differences, "
                    + "(L(θ+h) − L(θ−h)) / 2h for every parameter) or spsa (zeroth-order: the central difference "
                    + "along --directions random directions z ~ N(0, I) a step, two forward passes each, MeZO's "
                    + "scheme) (default: backprop).")
    String gradient;

    @Option(names = "--h", paramLabel = "STEP",
            description = "Finite-difference step for --gradient numerical, ε for spsa (default: " + Defaults.H
                    + ", suited to double precision; " + Defaults.SPSA_H + " for spsa).")
    Double h;

    @Option(names = "--directions", paramLabel = "N",
            description = "Random directions averaged in each step of --gradient spsa, 2N forward passes a step "
                    + "(default: " + Defaults.DIRECTIONS + ").")
    Integer directions;

    @Option(names = "--objective", paramLabel = "NAME",
            description = "What --gradient spsa minimises: loss, or accuracy or f1-macro, metrics without a "
                    + "gradient (their errors are minimised; the loss is still reported) (default: "
                    + Defaults.OBJECTIVE + ").")
    String objective;

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
            description = "constant, step (x --lr-gamma every --lr-step-size epochs), cosine (annealed to 0 "
                    + "by the last epoch) or plateau (x --lr-gamma after --lr-patience epochs without improvement "
                    + "of the loss, as PyTorch's ReduceLROnPlateau) (default: constant).")
    String lrSchedule;

    @Option(names = "--warmup-epochs", paramLabel = "N",
            description = "Raise the learning rate linearly over the first N epochs (default: 0).")
    Integer warmupEpochs;

    @Option(names = "--lr-step-size", paramLabel = "N",
            description = "Epochs between cuts of --lr-schedule step (default: a third of the epochs).")
    Integer lrStepSize;

    @Option(names = "--lr-gamma", paramLabel = "FACTOR",
            description = "The factor of each cut of --lr-schedule step, in (0, 1], or of plateau, in (0, 1) "
                    + "(default: " + LearningRateSchedule.DEFAULT_GAMMA + ").")
    Double lrGamma;

    @Option(names = "--lr-patience", paramLabel = "N",
            description = "--lr-schedule plateau: epochs without improvement of the loss (the validation loss, "
                    + "with --validation-split) before the rate is cut (default: "
                    + ReduceLROnPlateau.DEFAULT_PATIENCE + ").")
    Integer lrPatience;

    @Option(names = "--lr-threshold", paramLabel = "R",
            description = "--lr-schedule plateau: the relative fall of the loss that counts as an improvement "
                    + "(default: " + ReduceLROnPlateau.DEFAULT_THRESHOLD + ").")
    Double lrThreshold;

    @Option(names = "--min-lr", paramLabel = "RATE",
            description = "--lr-schedule plateau: the rate is never cut below this (default: "
                    + ReduceLROnPlateau.DEFAULT_MIN_RATE + ").")
    Double minLr;

    /**
     * {@code recipe} with these options' step, optimizer and its constants, learning rate and
     * schedule, epochs and batches, each checked (a constant the chosen optimizer does not have is
     * an error).
     */
    Recipe applyTo(Recipe recipe) {
        Recipe r = step(recipe);
        if (lr != null) {
            r = r.withLearningRate(Parse.positive("--lr", lr));
        }
        r = optimizer(r);
        if (epochs != null) {
            r = r.withEpochs(Parse.atLeastOne("--epochs", epochs));
        }
        return schedule(r).withBatch(batch(r));
    }

    /** How each step is computed: the fused backprop step, central differences then the update, or spsa's. */
    private Recipe step(Recipe r) {
        String g = gradient == null ? Defaults.GRADIENT : gradient.toLowerCase(Locale.ROOT);
        if (!g.equals("spsa")) {
            if (directions != null) {
                throw new UserError("--directions: only used with --gradient spsa");
            }
            if (objective != null && !parseObjective(objective).isLoss()) {
                throw new UserError("--objective " + objective + ": a metric without a gradient cannot be "
                        + "backpropagated or differentiated coordinate by coordinate; train it with --gradient spsa");
            }
        }
        switch (g) {
            case "backprop":
                if (h != null) {
                    throw new UserError("--h: only used with --gradient numerical or spsa");
                }
                return dtype == null ? r : r.withDtype(parseDtype(dtype));
            case "spsa":
                return spsa(r.withGradient("spsa"));
            case "numerical":
                if (dtype != null && parseDtype(dtype) != Dtype.FLOAT64) {
                    throw new UserError("--dtype " + dtype + ": central differences need float64 (a difference "
                            + "over h = 1e-6 keeps about 10 digits in float64 and 1 in float32); "
                            + "drop --dtype or use --gradient backprop");
                }
                return r.withGradient("numerical").withDtype(Dtype.FLOAT64)
                        .withH(h == null ? Defaults.H : Parse.positive("--h", h));
            default:
                throw UserError.badValue("--gradient", gradient, "is not backprop, numerical or spsa");
        }
    }

    /** spsa's ε, directions, objective and the type of its forward passes. */
    private Recipe spsa(Recipe r) {
        if (dtype != null) {
            r = r.withDtype(parseDtype(dtype));
        }
        if (h != null) {
            r = r.withH(Parse.positive("--h", h));
        }
        if (directions != null) {
            r = r.withDirections(Parse.atLeastOne("--directions", directions));
        }
        return objective == null ? r : r.withObjective(parseObjective(objective).toString());
    }

    /** The value of --objective, or a one-line error naming it. */
    static Objective parseObjective(String name) {
        try {
            return Objective.of(name);
        } catch (IllegalArgumentException e) {
            throw UserError.badValue("--objective", name, "is not one of " + String.join(", ", Objective.NAMES));
        }
    }

    /**
     * Why the number type is what it is, for the header, when it is the default with data and
     * differs from float64.
     */
    String dtypeNote(Recipe recipe, boolean dataPreset) {
        return dtype == null && gradient == null && dataPreset && recipe.dtype() == Dtype.FLOAT32
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

    /** The optimizer and every constant of it, checked; a constant the chosen optimizer does not have is an error. */
    private Recipe optimizer(Recipe r) {
        String name = optimizer == null ? Defaults.OPTIMIZER : optimizer.toLowerCase(Locale.ROOT);
        if (!Optimizers.NAMES.contains(name)) {
            throw UserError.badValue("--optimizer", optimizer, "is not one of " + String.join(", ", Optimizers.NAMES));
        }
        onlyWith("--momentum", momentum, name, "momentum");
        onlyWith("--beta1", beta1, name, "adam");
        onlyWith("--beta2", beta2, name, "adam");
        onlyWith("--eps", eps, name, "adam");
        r = r.withOptimizer(name);
        if (momentum != null) {
            r = r.withMomentum(unitInterval("--momentum", momentum));
        }
        if (beta1 != null || beta2 != null) {
            r = r.withBetas(beta1 == null ? Adam.DEFAULT_BETA1 : unitInterval("--beta1", beta1),
                    beta2 == null ? Adam.DEFAULT_BETA2 : unitInterval("--beta2", beta2));
        }
        if (eps != null) {
            r = r.withEpsilon(Parse.positive("--eps", eps));
        }
        return weightDecay == null ? r : r.withWeightDecay(nonNegative("--weight-decay", weightDecay));
    }

    /** The learning rate of each epoch, checked against the number of epochs. */
    private Recipe schedule(Recipe r) {
        String kind = lrSchedule == null ? Defaults.SCHEDULE : lrSchedule.trim().toLowerCase(Locale.ROOT);
        if (!LearningRateSchedule.KINDS.contains(kind)) {
            throw UserError.badValue("--lr-schedule", lrSchedule, "is not one of "
                    + String.join(", ", LearningRateSchedule.KINDS));
        }
        if (!kind.equals("step") && lrStepSize != null) {
            throw new UserError("--lr-step-size: only used with --lr-schedule step");
        }
        if (!kind.equals("step") && !kind.equals("plateau") && lrGamma != null) {
            throw new UserError("--lr-gamma: only used with --lr-schedule step or plateau");
        }
        if (!kind.equals("plateau") && (lrPatience != null || lrThreshold != null || minLr != null)) {
            throw new UserError((lrPatience != null ? "--lr-patience" : lrThreshold != null ? "--lr-threshold"
                    : "--min-lr") + ": only used with --lr-schedule plateau");
        }
        if (kind.equals("plateau") && warmupEpochs != null && warmupEpochs != 0) {
            throw new UserError("--warmup-epochs: not used with --lr-schedule plateau, whose rate is cut by what the "
                    + "loss does from the first epoch");
        }
        int e = r.epochs();
        int warmup = warmupEpochs == null ? 0 : warmupEpochs;
        if (warmup < 0 || warmup >= e) {
            throw UserError.badValue("--warmup-epochs", warmupEpochs, "must be from 0 to " + (e - 1)
                    + ", fewer than the " + e + " epochs");
        }
        r = r.withSchedule(kind).withWarmup(warmup);
        if (lrStepSize != null) {
            r = r.withStepSize(Parse.atLeastOne("--lr-step-size", lrStepSize));
        }
        if (lrGamma != null && !(lrGamma > 0 && lrGamma <= 1)) {
            throw UserError.badValue("--lr-gamma", lrGamma, "must be in (0, 1]");
        }
        r = lrGamma == null ? r : r.withGamma(lrGamma);
        return kind.equals("plateau") ? plateau(r) : r;
    }

    /** The plateau schedule's factor, patience, threshold and floor, checked. */
    private Recipe plateau(Recipe r) {
        if (lrGamma != null && lrGamma == 1) {
            throw UserError.badValue("--lr-gamma", lrGamma, "must be below 1 with --lr-schedule plateau: a cut by 1 "
                    + "is no cut");
        }
        int patience = lrPatience == null ? ReduceLROnPlateau.DEFAULT_PATIENCE : lrPatience;
        if (patience < 0) {
            throw UserError.badValue("--lr-patience", lrPatience, "must be 0 or more epochs");
        }
        double threshold = lrThreshold == null ? ReduceLROnPlateau.DEFAULT_THRESHOLD : lrThreshold;
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw UserError.badValue("--lr-threshold", lrThreshold, "must be zero or positive and finite");
        }
        double floor = minLr == null ? ReduceLROnPlateau.DEFAULT_MIN_RATE : minLr;
        if (!(floor >= 0) || Double.isInfinite(floor)) {
            throw UserError.badValue("--min-lr", minLr, "must be zero or positive and finite");
        }
        return r.withPlateau(patience, threshold, floor);
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

    private int batch(Recipe r) {
        if (batch == null) {
            return r.batch();
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
