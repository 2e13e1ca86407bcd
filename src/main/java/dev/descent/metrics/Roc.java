package dev.descent.metrics;

import java.util.Arrays;

/**
 * The receiver operating characteristic of a two-class model: for every threshold t on the
 * positive class's score, the false-positive rate FPR(t) = FP/N against the true-positive rate
 * TPR(t) = TP/P of predicting "positive" when score ≥ t; and the area under it,
 * {@code AUC = Σ_i (FPR_i − FPR_{i−1})·(TPR_i + TPR_{i−1})/2} over the distinct thresholds from the
 * highest down (the trapezoidal rule, as scikit-learn's {@code roc_auc_score} takes it: tied scores
 * count half, which makes it the Mann–Whitney probability that a positive outscores a negative).
 * The sums run in whole numbers (2·area·P·N) and are divided once, so the AUC is exact to one
 * rounding. No plotting here: {@code report.RocPlot} draws the curve.
 *
 * @param fpr false-positive rates, from 0 to 1, one per distinct threshold after (0, 0)
 * @param tpr true-positive rates, the same length
 * @param thresholds the score at each point ({@code +∞} for the first, (0, 0))
 * @param auc the area under the curve; NaN when either class has no sample
 * @param positives P
 * @param negatives N
 */
public record Roc(double[] fpr, double[] tpr, double[] thresholds, double auc, long positives, long negatives) {

    /**
     * The curve of {@code scores} (the positive class's probability, say) against which rows are
     * positive.
     */
    public static Roc of(double[] scores, boolean[] positive) {
        int n = scores.length;
        if (positive.length != n) {
            throw new IllegalArgumentException(n + " scores but " + positive.length + " labels");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + (i + 1) + " is NaN");
            }
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        long p = 0;
        for (boolean b : positive) {
            p += b ? 1 : 0;
        }
        long neg = n - p;
        double[] fpr = new double[n + 1], tpr = new double[n + 1], thr = new double[n + 1];
        thr[0] = Double.POSITIVE_INFINITY;
        int points = 1;
        long tp = 0, fp = 0, lastTp = 0, lastFp = 0, twiceArea = 0;
        for (int i = 0; i < n; i++) {
            int r = order[i];
            if (positive[r]) {
                tp++;
            } else {
                fp++;
            }
            boolean lastOfThreshold = i + 1 == n || scores[order[i + 1]] != scores[r];
            if (lastOfThreshold) {
                twiceArea += (fp - lastFp) * (tp + lastTp);
                lastTp = tp;
                lastFp = fp;
                fpr[points] = neg == 0 ? Double.NaN : (double) fp / neg;
                tpr[points] = p == 0 ? Double.NaN : (double) tp / p;
                thr[points++] = scores[r];
            }
        }
        double auc = p == 0 || neg == 0 ? Double.NaN : twiceArea / (2.0 * p * neg);
        return new Roc(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points), Arrays.copyOf(thr, points), auc, p,
                neg);
    }

    /**
     * At most {@code max} points of the curve, evenly spread over its thresholds with both ends kept:
     * for a picture or a page of a large set.
     */
    public double[][] thinned(int max) {
        int n = fpr.length;
        if (n <= max) {
            return new double[][] {fpr.clone(), tpr.clone()};
        }
        double[] x = new double[max], y = new double[max];
        for (int i = 0; i < max; i++) {
            int at = (int) Math.round((double) i * (n - 1) / (max - 1));
            x[i] = fpr[at];
            y[i] = tpr[at];
        }
        return new double[][] {x, y};
    }
}
