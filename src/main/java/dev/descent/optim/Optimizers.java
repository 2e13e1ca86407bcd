package dev.descent.optim;

import dev.descent.layers.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /**
     * Every constant of an optimizer, as the command line sets them; each is used only by the
     * optimizers that have it.
     *
     * @param momentum    momentum's β
     * @param beta1       Adam's β1
     * @param beta2       Adam's β2
     * @param epsilon     Adam's ε
     * @param weightDecay λ: L2 added to the gradient for sgd and momentum, decoupled for adam
     */
    public record Settings(String name, double learningRate, double momentum, double beta1, double beta2,
            double epsilon, double weightDecay) {
        /** The papers' constants for everything but the name and learning rate, and no weight decay. */
        public static Settings of(String name, double learningRate) {
            return new Settings(name, learningRate, Momentum.DEFAULT_BETA, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2,
                    Adam.DEFAULT_EPSILON, 0.0);
        }

        /** These settings at another learning rate. */
        public Settings withLearningRate(double rate) {
            return new Settings(name, rate, momentum, beta1, beta2, epsilon, weightDecay);
        }

        /**
         * One line for headers: {@code sgd, lr 0.1}, then the constants that differ from the papers'
         * defaults and any weight decay: {@code momentum, lr 0.1, momentum 0.8, weight decay 0.001}.
         */
        public String describe() {
            Settings d = of(name, learningRate);
            StringBuilder b = new StringBuilder(name).append(", lr ").append(learningRate);
            if (momentum != d.momentum) {
                b.append(", momentum ").append(momentum);
            }
            if (beta1 != d.beta1 || beta2 != d.beta2) {
                b.append(", betas ").append(beta1).append(' ').append(beta2);
            }
            if (epsilon != d.epsilon) {
                b.append(", eps ").append(epsilon);
            }
            if (weightDecay > 0) {
                b.append(", weight decay ").append(weightDecay).append(name.equals("adam") ? " (decoupled, AdamW)" : "");
            }
            return b.toString();
        }

        /** How a model file records them: the name, the rate, the constants this optimizer has, the weight decay. */
        public Map<String, Object> provenance() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("optimizer", name);
            p.put("learningRate", learningRate);
            if (name.equals("momentum")) {
                p.put("momentum", momentum);
            }
            if (name.equals("adam")) {
                p.put("beta1", beta1);
                p.put("beta2", beta2);
                p.put("eps", epsilon);
            }
            p.put("weightDecay", weightDecay);
            return p;
        }
    }

    /** The optimizer {@code s} describes. */
    public static Optimizer create(Settings s) {
        switch (s.name().toLowerCase(Locale.ROOT)) {
            case "sgd":
                return new GradientDescent(s.learningRate(), s.weightDecay());
            case "momentum":
                return new Momentum(s.learningRate(), s.momentum(), s.weightDecay());
            case "adam":
                return new Adam(s.learningRate(), s.beta1(), s.beta2(), s.epsilon(), s.weightDecay());
            default:
                return create(s.name(), s.learningRate()); // throws, naming the choices
        }
    }

    /** {@code ", weight decay λ"} and a note, or nothing for λ = 0. */
    static String describeDecay(double weightDecay, String note) {
        return weightDecay == 0 ? "" : ", weight decay " + weightDecay + note;
    }

    static double requireNonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("the " + what + " must be zero or positive and finite, got " + v);
        }
        return v;
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
