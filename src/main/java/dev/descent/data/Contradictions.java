package dev.descent.data;

import dev.descent.loss.Reduction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Identical inputs with different labels, and the limits they put on any model.
 *
 * <p>A model gives the same prediction p to every copy of an input. For a group of n identical
 * inputs of which n_c carry label c, the best it can do is predict the most common label (n_max
 * right) and p_c = n_c / n, whose summed cross-entropy is {@code −Σ_c n_c ln(n_c / n)}; that is
 * the floor the group puts under the loss. On the seed example two such pairs give a floor of
 * 4 ln 2 and a ceiling of 8 in 10 right.
 *
 * @param groups      each group of rows (0-based) sharing one input but not one label
 * @param maxCorrect  the most samples any model can classify correctly
 * @param summedFloor the lowest summed cross-entropy any model can reach
 * @param samples     the number of samples in the data set
 */
public record Contradictions(List<int[]> groups, int maxCorrect, double summedFloor, int samples) {

    public static Contradictions of(Dataset data) {
        if (data.isRegression()) { // no classes to contradict; the floor of a regression loss is not computed here
            return new Contradictions(List.of(), data.size(), 0.0, data.size());
        }
        List<List<Integer>> identical = identicalRows(data.features());
        List<int[]> groups = new ArrayList<>();
        int maxCorrect = 0;
        double floor = 0.0;
        for (List<Integer> rows : identical) {
            int[] counts = new int[data.classCount()];
            for (int r : rows) {
                counts[data.labels()[r]]++;
            }
            int most = Arrays.stream(counts).max().orElse(0);
            maxCorrect += most;
            if (most < rows.size()) {
                groups.add(rows.stream().mapToInt(Integer::intValue).toArray());
                for (int n : counts) {
                    if (n > 0) {
                        floor -= n * Math.log((double) n / rows.size());
                    }
                }
            }
        }
        return new Contradictions(List.copyOf(groups), maxCorrect, floor, data.size());
    }

    /**
     * The rows grouped by identical input, in order of first appearance. Rows are bucketed by their
     * {@link RowHashes} (no copy of the data), and rows in one bucket compared exactly.
     */
    static List<List<Integer>> identicalRows(Features x) {
        long[] hashes = RowHashes.of(x);
        Map<Long, List<List<Integer>>> buckets = new HashMap<>(2 * hashes.length);
        List<List<Integer>> groups = new ArrayList<>();
        for (int r = 0; r < x.rows(); r++) {
            List<List<Integer>> bucket = buckets.computeIfAbsent(hashes[r], k -> new ArrayList<>(1));
            List<Integer> match = null;
            for (List<Integer> g : bucket) {
                if (sameRow(x, g.get(0), r)) {
                    match = g;
                    break;
                }
            }
            if (match == null) {
                match = new ArrayList<>(1);
                bucket.add(match);
                groups.add(match);
            }
            match.add(r);
        }
        return groups;
    }

    private static boolean sameRow(Features x, int a, int b) {
        for (int c = 0; c < x.cols(); c++) {
            if (x.get(a, c) != x.get(b, c)) {
                return false;
            }
        }
        return true;
    }

    public boolean any() {
        return !groups.isEmpty();
    }

    /** The highest training accuracy any model can reach. */
    public double maxAccuracy() {
        return samples == 0 ? 1.0 : (double) maxCorrect / samples;
    }

    /** The lowest loss any model can reach, summed or averaged over the samples. */
    public double lossFloor(Reduction reduction) {
        return reduction == Reduction.SUM ? summedFloor : summedFloor / samples;
    }
}
