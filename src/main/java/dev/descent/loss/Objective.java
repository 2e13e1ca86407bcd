package dev.descent.loss;

import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import java.util.List;
import java.util.Locale;

/**
 * What a zeroth-order step minimises: the loss itself, or a metric that has no gradient at all,
 * measured on the network's output z: (N, k) against the labels. A step that estimates slopes
 * from values alone (SPSA) can descend any of them, as MeZO (Malladi et al. 2023, §3.3) trains
 * on accuracy and F1; backpropagation can only descend the loss.
 * <ul>
 *   <li>{@code loss}: the loss, as it reduces (the default).</li>
 *   <li>{@code accuracy}: the errors, samples whose largest output is not their label, counted
 *       (a summed loss) or as a fraction (a mean one); minimising them maximises accuracy. Ties go
 *       to the first class, as everywhere in Descent.</li>
 *   <li>{@code f1-macro}: 1 − F1 macro, where F1 macro is the mean over classes of
 *       2·TP / (2·TP + FP + FN), over the classes that are some sample's label or prediction in
 *       the batch (scikit-learn's {@code f1_score(average="macro")}). Not a sum over samples, so
 *       it does not depend on the reduction.</li>
 * </ul>
 * Only {@code loss} means anything for regression.
 */
public enum Objective {
    LOSS("loss"), ACCURACY("accuracy"), F1_MACRO("f1-macro");

    /** The names {@link #of} accepts. */
    public static final List<String> NAMES = List.of("loss", "accuracy", "f1-macro");

    private final String label;

    Objective(String label) {
        this.label = label;
    }

    /** loss, accuracy or f1-macro, case-insensitive. */
    public static Objective of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Objective o : values()) {
            if (o.label.equals(n)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown objective '" + name + "': expected one of "
                + String.join(", ", NAMES));
    }

    /** Whether this is the loss itself, which a schedule takes from the loss's row kernels. */
    public boolean isLoss() {
        return this == LOSS;
    }

    /**
     * The value minimised on {@code output} (N, k) against {@code labels}: the loss's forward for
     * {@link #LOSS}, else the metric, reduced as {@code loss} is (accuracy only).
     */
    public double value(Loss loss, Matrix output, int[] labels) {
        switch (this) {
            case LOSS:
                return loss.forward(output, labels);
            case ACCURACY:
                int errors = labels.length - correct(output, labels);
                return loss.reduction() == Reduction.SUM ? errors : (double) errors / labels.length;
            default:
                return 1.0 - f1Macro(output, labels);
        }
    }

    /** Rows whose largest output is at their label. */
    static int correct(Matrix output, int[] labels) {
        int right = 0;
        for (int r = 0; r < labels.length; r++) {
            if (MatrixOps.argmaxRow(output, r) == labels[r]) {
                right++;
            }
        }
        return right;
    }

    /** The mean over classes present (as a label or a prediction) of 2·TP / (2·TP + FP + FN); 0 for no rows. */
    public static double f1Macro(Matrix output, int[] labels) {
        int[] predicted = new int[labels.length];
        for (int r = 0; r < labels.length; r++) {
            predicted[r] = MatrixOps.argmaxRow(output, r);
        }
        return f1Macro(predicted, labels, output.cols());
    }

    /** F1 macro of {@code predicted} classes against {@code labels}, of {@code classes} classes. */
    public static double f1Macro(int[] predicted, int[] labels, int classes) {
        int[] tp = new int[classes], fp = new int[classes], fn = new int[classes];
        for (int r = 0; r < labels.length; r++) {
            int p = predicted[r], y = labels[r];
            if (p == y) {
                tp[y]++;
            } else {
                fp[p]++;
                fn[y]++;
            }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            int denominator = 2 * tp[c] + fp[c] + fn[c];
            if (denominator > 0) {
                sum += 2.0 * tp[c] / denominator;
                present++;
            }
        }
        return present == 0 ? 0.0 : sum / present;
    }

    /** One line for headers. */
    public String describe() {
        switch (this) {
            case LOSS:
                return "loss";
            case ACCURACY:
                return "accuracy (the errors are minimised: a metric without a gradient)";
            default:
                return "f1-macro (1 - F1 macro is minimised: a metric without a gradient)";
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
