package dev.descent.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A weight per class for the cross-entropy: sample n counts {@code w[y_n]} times, in the loss and
 * in its gradient (Keras' {@code class_weight}, PyTorch's {@code CrossEntropyLoss(weight=…)}).
 * Three rules: none (every weight 1, the loss unchanged); {@code balanced}, scikit-learn's
 * {@code compute_class_weight("balanced")}, {@code w_c = n / (k · n_c)} over the k classes the
 * training labels hold, so that every class carries the same total weight and the mean weight
 * over the training rows is exactly 1; or weights given by class name ({@code rare=5}), classes not
 * named keeping 1.
 *
 * <p>A rule is resolved once, against the training rows' labels ({@link #resolve}), and the
 * resolved weights are the loss's on every set of the run (validation and test alike), so that
 * a balanced rule never takes a test set's own counts.
 */
public final class ClassWeights implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Every weight 1: the plain cross-entropy. */
    public static final ClassWeights NONE = new ClassWeights("none", Map.of(), null, null);

    private final String rule; // none, balanced, or the weights as given
    private final Map<String, Double> given;
    private final List<String> classes; // resolved: the class names, in index order; else null
    private final double[] weights; // resolved: one per class; else null

    private ClassWeights(String rule, Map<String, Double> given, List<String> classes, double[] weights) {
        this.rule = rule;
        this.given = given;
        this.classes = classes;
        this.weights = weights;
    }

    /** scikit-learn's balanced rule, n / (k · n_c), to be resolved against the training labels. */
    public static ClassWeights balanced() {
        return new ClassWeights("balanced", Map.of(), null, null);
    }

    /**
     * {@code none}, {@code balanced}, or {@code name=w,name=w,…} with each w a positive finite
     * number; a class not named keeps weight 1.
     *
     * @throws IllegalArgumentException in one line, naming the part that is wrong
     */
    public static ClassWeights parse(String spec) {
        String s = spec.trim();
        if (s.equalsIgnoreCase("none")) {
            return NONE;
        }
        if (s.equalsIgnoreCase("balanced")) {
            return balanced();
        }
        Map<String, Double> given = new LinkedHashMap<>();
        for (String part : s.split(",", -1)) {
            int eq = part.lastIndexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not NAME=WEIGHT; give balanced, none, or "
                        + "class=weight pairs separated by commas");
            }
            String name = part.substring(0, eq).trim(), value = part.substring(eq + 1).trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("'" + part.trim() + "' has an empty class name");
            }
            double w;
            try {
                w = value.matches("[+]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?") ? Double.parseDouble(value) : Double.NaN;
            } catch (NumberFormatException e) {
                w = Double.NaN;
            }
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("the weight of '" + name + "', '" + value + "', must be a positive "
                        + "number");
            }
            if (given.put(name, w) != null) {
                throw new IllegalArgumentException("class '" + name + "' is given two weights");
            }
        }
        return new ClassWeights(s, Map.copyOf(given), null, null);
    }

    /** Weights by class name; classes not named keep 1. */
    public static ClassWeights of(Map<String, Double> weights) {
        StringBuilder spec = new StringBuilder();
        weights.forEach((k, v) -> spec.append(spec.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return parse(spec.toString());
    }

    /** Whether every weight is 1 (the rule none). */
    public boolean none() {
        return given.isEmpty() && rule.equals("none");
    }

    /** Whether the weights are known per class (resolved, or none). */
    public boolean resolved() {
        return weights != null || none();
    }

    /**
     * The weights for the classes {@code classes} from the training rows' {@code labels}: the
     * balanced rule counts them; given weights must each name a class. Already resolved for the
     * same classes, or none: this.
     *
     * @throws IllegalArgumentException naming a class that does not exist
     */
    public ClassWeights resolve(List<String> classes, int[] labels) {
        long[] counts = new long[classes.size()];
        for (int y : labels) {
            counts[y]++;
        }
        return resolveCounts(classes, counts);
    }

    /**
     * {@link #resolve} from the training rows' count of each class (counts[c] rows of class c),
     * for data counted where it lies (Spark's partitions).
     *
     * @throws IllegalArgumentException naming a class that does not exist
     */
    public ClassWeights resolveCounts(List<String> classes, long[] counts) {
        if (none() || weights != null && this.classes.equals(classes)) {
            return this;
        }
        int k = classes.size();
        double[] w = new double[k];
        Arrays.fill(w, 1.0);
        if (rule.equals("balanced") && given.isEmpty()) {
            long n = Arrays.stream(counts).sum();
            long present = Arrays.stream(counts).filter(c -> c > 0).count();
            for (int c = 0; c < k; c++) {
                w[c] = counts[c] == 0 ? 1.0 : (double) n / (present * counts[c]);
            }
        } else {
            for (Map.Entry<String, Double> e : given.entrySet()) {
                int c = classes.indexOf(e.getKey());
                if (c < 0) {
                    throw new IllegalArgumentException("no class '" + e.getKey() + "' in the training data; its "
                            + "classes are " + String.join(", ", classes));
                }
                w[c] = e.getValue();
            }
        }
        return new ClassWeights(rule, given, List.copyOf(classes), w);
    }

    /** The weight of class c: 1 for none; throws before the rule is resolved. */
    public double weight(int c) {
        if (none()) {
            return 1.0;
        }
        if (weights == null) {
            throw new IllegalStateException("the class weights '" + rule + "' are not resolved against the training "
                    + "labels yet (ClassWeights.resolve)");
        }
        return weights[c];
    }

    /** The weights in class order, or null before they are resolved or for none. */
    public double[] weights() {
        return weights == null ? null : weights.clone();
    }

    /** The rule as given: none, balanced, or the pairs. */
    public String rule() {
        return rule;
    }

    /** {@code balanced (common 0.526, rare 10)}, for headers; the rule alone before it is resolved. */
    public String describe() {
        if (weights == null) {
            return rule;
        }
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            parts.add(classes.get(c) + " " + String.format(Locale.ROOT, "%.4g", weights[c]));
        }
        return (rule.equals("balanced") ? "balanced" : "given") + " (" + String.join(", ", parts) + ")";
    }

    /**
     * A model file's record: nothing for none (files of unweighted runs are unchanged);
     * {@code classWeight}, the rule, and once resolved {@code classWeights}, each class's weight
     * in full ({@code common=0.5263157894736842, rare=10.0}).
     */
    public Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        if (none()) {
            return p;
        }
        p.put("classWeight", rule);
        if (weights != null) {
            List<String> parts = new ArrayList<>();
            for (int c = 0; c < classes.size(); c++) {
                parts.add(classes.get(c) + "=" + weights[c]);
            }
            p.put("classWeights", String.join(", ", parts));
        }
        return p;
    }

    @Override
    public String toString() {
        return describe();
    }
}
