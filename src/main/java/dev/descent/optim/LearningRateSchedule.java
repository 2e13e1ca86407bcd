package dev.descent.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The learning rate of each epoch: a base rate η, reached by a linear warm-up over the first W
 * epochs, then held (constant), cut by γ every s epochs (step, as PyTorch's {@code StepLR}), or
 * annealed along half a cosine towards zero (cosine, as {@code CosineAnnealingLR} with
 * η_min = 0; Loshchilov and Hutter (2017), "SGDR: Stochastic Gradient Descent with Warm
 * Restarts", eq. 5, without restarts). For epoch e from 1, of E:
 * <pre>
 *   warm-up   e ≤ W:  η·e/W                          (Goyal et al. (2017), "Accurate, Large Minibatch SGD", §2.2)
 *   constant          η
 *   step              η·γ^⌊(e − 1 − W)/s⌋
 *   cosine            η·½·(1 + cos(π·(e − 1 − W)/(E − W)))
 * </pre>
 * The rate depends on the epoch alone, so a run resumed from a checkpoint takes exactly the
 * rates the uninterrupted run would have; it changes at epoch boundaries only. The kind
 * {@code plateau} holds η here and leaves the cuts to a listener that watches the loss
 * ({@code dev.descent.train.ReduceLROnPlateau}, which the run's recipe adds), without warm-up.
 *
 * <p>A rate never falls below its floor, {@link #floor()}: the smallest normal double, 2.2e-308
 * (or η itself, when η is smaller still). Below it a double loses its precision, and soon after
 * it is 0, which no optimizer takes as a learning rate: a step schedule with γ = 1e-320 would
 * otherwise reach 0 at its first cut. A schedule that reaches the floor says so in
 * {@link #describe()}, with the epoch from which it holds.
 *
 * @param kind     constant, step or cosine
 * @param rate     η
 * @param epochs   E
 * @param warmup   W, epochs of linear warm-up (0 for none)
 * @param stepSize s, epochs between cuts (step)
 * @param gamma    γ, the factor of each cut (step)
 */
public record LearningRateSchedule(String kind, double rate, int epochs, int warmup, int stepSize, double gamma) {
    /** The kinds {@link #kind} takes. */
    public static final List<String> KINDS = List.of("constant", "step", "cosine", "plateau");

    /** PyTorch's {@code StepLR} default γ. */
    public static final double DEFAULT_GAMMA = 0.1;

    public LearningRateSchedule {
        kind = kind.toLowerCase(Locale.ROOT);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown learning-rate schedule '" + kind + "': expected one of "
                    + String.join(", ", KINDS));
        }
        Optimizers.requirePositive("learning rate", rate);
        if (warmup < 0 || warmup >= epochs) {
            throw new IllegalArgumentException("the warm-up must be from 0 to " + (epochs - 1) + " epochs of "
                    + epochs + ", got " + warmup);
        }
        if (kind.equals("plateau") && warmup > 0) {
            throw new IllegalArgumentException("the plateau schedule has no warm-up: its rate is cut by what the loss "
                    + "does, from the first epoch");
        }
        if (stepSize < 1) {
            throw new IllegalArgumentException("the step size must be at least 1 epoch, got " + stepSize);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("the step factor must be in (0, 1], got " + gamma);
        }
    }

    /** The constant rate η, without warm-up. */
    public static LearningRateSchedule constant(double rate, int epochs) {
        return new LearningRateSchedule("constant", rate, epochs, 0, 1, 1.0);
    }

    /** The learning rate of epoch {@code epoch}, from 1: the formula's, or the floor where that is below it. */
    public double rate(int epoch) {
        return Math.max(formula(epoch), floor());
    }

    /**
     * The least rate a schedule gives: {@link Double#MIN_NORMAL}, the smallest double with full
     * precision, or η when η is below it.
     */
    public double floor() {
        return Math.min(rate, Double.MIN_NORMAL);
    }

    /** The first epoch whose formula's rate is below the floor, so that it trains at the floor; -1 for none. */
    public int firstEpochAtFloor() {
        for (int e = 1; e <= epochs; e++) {
            if (formula(e) < floor()) {
                return e;
            }
        }
        return -1;
    }

    /** The rate of the formulas above, which may underflow. */
    private double formula(int epoch) {
        if (epoch <= warmup) {
            return rate * epoch / warmup;
        }
        int after = epoch - 1 - warmup;
        switch (kind) {
            case "step":
                return rate * Math.pow(gamma, after / stepSize);
            case "cosine":
                return rate * 0.5 * (1 + Math.cos(Math.PI * after / (epochs - warmup)));
            default:
                return rate;
        }
    }

    /** Whether every epoch has the rate η (the plateau's cuts depend on the loss: not constant). */
    public boolean isConstant() {
        return warmup == 0 && (kind.equals("constant") || (kind.equals("step") && (gamma == 1 || stepSize >= epochs)));
    }

    /** Whether the rate is cut when the loss stops improving (by a listener), rather than by epoch. */
    public boolean onPlateau() {
        return kind.equals("plateau");
    }

    /** How a model file records it: {@code lrSchedule}, {@code warmupEpochs}, and the step's size and factor. */
    public Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lrSchedule", kind);
        p.put("warmupEpochs", warmup);
        if (kind.equals("plateau")) {
            p.put("lrGamma", gamma);
        }
        if (kind.equals("step")) {
            p.put("lrStepSize", stepSize);
            p.put("lrGamma", gamma);
        }
        return p;
    }

    /** This schedule from another base rate: the same warm-up, cuts and annealing. */
    public LearningRateSchedule withRate(double base) {
        return new LearningRateSchedule(kind, base, epochs, warmup, stepSize, gamma);
    }

    /** One line for headers: {@code cosine from 0.1 over 30 epochs, 5 of warm-up}. */
    public String describe() {
        String s = switch (kind) {
            case "step" -> "step: x" + gamma + " every " + stepSize + " epochs";
            case "cosine" -> "cosine to 0 over " + epochs + " epochs";
            case "plateau" -> "x" + gamma + " on a plateau of the loss";
            default -> "constant";
        };
        int floored = firstEpochAtFloor();
        return s + (warmup > 0 ? ", after " + warmup + " epochs of linear warm-up" : "")
                + (floored < 0 ? "" : String.format(Locale.ROOT, "; from epoch %d the rate would fall below %.3g and "
                        + "underflow, so it is held there", floored, floor()));
    }
}
