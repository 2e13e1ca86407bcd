package dev.descent.doctor;

import dev.descent.data.Dataset;
import dev.descent.loss.Reduction;

/**
 * How the labels of a data set are spread over its classes, and what a model that ignores its
 * input can reach: always predicting the majority class gives the baseline accuracy, predicting
 * the class frequencies gives the lowest loss, their entropy H = −Σ p_c ln p_c per sample.
 *
 * @param counts samples of each class
 */
public record ClassBalance(int[] counts) {
    public static ClassBalance of(Dataset data) {
        return of(data.labels(), data.classCount());
    }

    public static ClassBalance of(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return new ClassBalance(counts);
    }

    public int samples() {
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }

    /** The class with the most samples (the first of them on a tie). */
    public int majority() {
        int best = 0;
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The accuracy of always predicting the majority class. */
    public double baseline() {
        return samples() == 0 ? 0 : (double) counts[majority()] / samples();
    }

    /** The smallest non-empty class. */
    public int minority() {
        int best = -1;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0 && (best < 0 || counts[c] < counts[best])) {
                best = c;
            }
        }
        return best;
    }

    /** Majority count over minority count: 1 for balanced classes. */
    public double ratio() {
        return (double) counts[majority()] / counts[minority()];
    }

    /**
     * The loss of predicting the class frequencies for every sample, the best a model that
     * ignores its input can do: n·H summed, H as the mean.
     */
    public double ignoringInputLoss(Reduction reduction) {
        int n = samples();
        double summed = 0;
        for (int c : counts) {
            summed -= c == 0 ? 0 : c * Math.log((double) c / n);
        }
        return reduction == Reduction.SUM ? summed : summed / n;
    }
}
