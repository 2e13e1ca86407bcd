package dev.descent.doctor;

import dev.descent.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The rows the doctor holds out of the training data for its own judgement, when the user gave
 * no held-out data (neither {@code --validation-split} nor {@code --test}): a seeded fifth of each
 * class (stratified, so the classes keep their shares; for regression a seeded fifth of the rows).
 * Without them a run that memorised the rows looks the same as one that learned. It is a
 * diagnosis, not the user's run: the run the doctor watches trains on the other rows, and the fix
 * it suggests never carries a split.
 *
 * @param training the rows the doctor's run trains on
 * @param held     the rows it judges on, evaluated every epoch as a validation set
 */
record HoldOut(Dataset training, Dataset held) {
    /** The fraction of each class held out. */
    static final double FRACTION = 0.2;
    /** Data with fewer rows than this is not split: too few held-out rows to judge by. */
    static final int MIN_ROWS = 100;
    /** Nor when fewer than this many rows would be held out (classes of one row each stay in training). */
    static final int MIN_HELD = 20;

    /** The split of {@code data} by {@code seed}, or null when it has fewer than {@link #MIN_ROWS} rows. */
    static HoldOut of(Dataset data, long seed) {
        if (data.size() < MIN_ROWS) {
            return null;
        }
        Random rng = new Random(seed);
        List<Integer> held = new ArrayList<>(), kept = new ArrayList<>();
        for (int[] group : groups(data)) {
            Dataset.shuffleInPlace(group, rng);
            // a class of one row stays in training: it cannot be learned and judged at once
            int n = group.length < 2 ? 0 : (int) Math.round(FRACTION * group.length);
            for (int i = 0; i < group.length; i++) {
                (i < n ? held : kept).add(group[i]);
            }
        }
        if (held.size() < MIN_HELD) {
            return null;
        }
        return new HoldOut(data.select(sorted(kept), data.description() + ", the doctor's training rows"),
                data.select(sorted(held), data.description() + ", held out by the doctor"));
    }

    /** The rows of each class (one group of all rows for regression). */
    private static List<int[]> groups(Dataset data) {
        int k = data.isRegression() ? 1 : data.classCount();
        int[] counts = new int[k];
        for (int label : data.labels()) {
            counts[data.isRegression() ? 0 : label]++;
        }
        List<int[]> groups = new ArrayList<>();
        int[] filled = new int[k];
        for (int c = 0; c < k; c++) {
            groups.add(new int[counts[c]]);
        }
        for (int r = 0; r < data.size(); r++) {
            int c = data.isRegression() ? 0 : data.labels()[r];
            groups.get(c)[filled[c]++] = r;
        }
        return groups;
    }

    private static int[] sorted(List<Integer> rows) {
        int[] a = rows.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** The one line that says so: how many rows, how chosen, and that the user's run is not this. */
    String describe(long seed) {
        int all = training.size() + held.size();
        return String.format(Locale.ROOT, "on %d of the %d training rows, held out (%.0f%%%s, seed %d) so that the "
                + "run is judged on rows it did not train on; the doctor's run trains on the other %d, the command it "
                + "suggests on all of them", held.size(), all, 100 * FRACTION, training.isRegression() ? ""
                : " of each class", seed, training.size());
    }
}
