package dev.descent.optim;

import dev.descent.layers.Parameter;
import java.util.List;
import java.util.Locale;

/** Checks and per-parameter state shared by the optimizers, and the names the CLI accepts. */
public final class Optimizers {
    private Optimizers() {}

    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("sgd", "momentum", "adam");

    /** The optimizer called {@code name}, with the papers' defaults for everything but the learning rate. */
    public static Optimizer create(String name, double learningRate) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd":
                return new GradientDescent(learningRate);
            case "momentum":
                return new Momentum(learningRate, Momentum.DEFAULT_BETA);
            case "adam":
                return new Adam(learningRate);
            default:
                throw new IllegalArgumentException("unknown optimizer '" + name + "': expected one of "
                        + String.join(", ", NAMES));
        }
    }

    static double requirePositive(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("the " + what + " must be positive and finite, got " + v);
        }
        return v;
    }

    /** A deep copy of per-parameter arrays. */
    static List<double[]> copy(List<double[]> arrays) {
        return arrays.stream().map(double[]::clone).toList();
    }

    /** Replaces {@code target}'s arrays with copies of {@code source}'s. */
    static void restoreInto(List<double[]> target, Optimizer.State state, String slot) {
        List<double[]> source = state.slots().get(slot);
        if (source == null) {
            throw new IllegalArgumentException("the optimizer state has no '" + slot + "'");
        }
        target.clear();
        target.addAll(copy(source));
    }

    /** Gives {@code state} one zero array per parameter, the first time. */
    static void ensureState(List<double[]> state, List<Parameter> parameters) {
        if (state.isEmpty()) {
            for (Parameter p : parameters) {
                state.add(new double[p.size()]);
            }
        } else if (state.size() != parameters.size()) {
            throw new IllegalStateException("optimizer used with " + parameters.size() + " parameters after "
                    + state.size());
        }
    }
}
