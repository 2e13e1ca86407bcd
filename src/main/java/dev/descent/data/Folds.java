package dev.descent.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * K-fold cross-validation's parts of a data set: each row's fold, seeded. Stratified for labels
 * (scikit-learn's {@code StratifiedKFold(shuffle=True)} in intent): each class's rows are shuffled
 * and dealt to the folds in turn, the dealing carried on from one class to the next, so every fold
 * holds each class in about its share and the folds' sizes differ by at most one. For regression's
 * targets, the rows shuffled and dealt ({@code KFold(shuffle=True)}).
 */
public final class Folds {
    private Folds() {}

    /**
     * The fold, from 0 to k − 1, of each row of {@code labels} (classes from 0 to classes − 1).
     *
     * @throws IllegalArgumentException for k below 2, or above the rows of a class that has any
     */
    public static int[] stratified(int[] labels, int classes, int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + k);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int r = 0; r < labels.length; r++) {
            byClass.get(labels[r]).add(r);
        }
        Random rng = new Random(seed);
        int[] fold = new int[labels.length];
        int next = 0;
        for (List<Integer> rows : byClass) {
            if (!rows.isEmpty() && rows.size() < k) {
                throw new IllegalArgumentException("a class has " + rows.size() + " rows, fewer than the " + k
                        + " folds");
            }
            int[] order = rows.stream().mapToInt(Integer::intValue).toArray();
            Dataset.shuffleInPlace(order, rng);
            for (int r : order) {
                fold[r] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    /** The fold of each of n rows, shuffled with {@code seed} and dealt in turn. */
    public static int[] shuffled(int n, int k, long seed) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException(k < 2 ? "cross-validation needs at least 2 folds, got " + k
                    : k + " folds of " + n + " rows leave a fold empty");
        }
        int[] order = Dataset.shuffled(n, new Random(seed));
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[order[i]] = i % k;
        }
        return fold;
    }

    /** The rows whose fold is {@code f} ({@code in}) or is not, in increasing order. */
    public static int[] rows(int[] fold, int f, boolean in) {
        return java.util.stream.IntStream.range(0, fold.length).filter(r -> (fold[r] == f) == in).toArray();
    }
}
