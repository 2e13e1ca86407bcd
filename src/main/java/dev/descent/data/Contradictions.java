package dev.descent.data;

import dev.descent.loss.Reduction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        int n = data.size();
        RowIndex index = RowIndex.of(data.features());
        int[] group = index.groups();
        int count = index.groupCount();
        // the rows of each group, group after group in order of first appearance (a counting sort)
        int[] start = new int[count + 1];
        for (int g : group) {
            start[g + 1]++;
        }
        for (int g = 0; g < count; g++) {
            start[g + 1] += start[g];
        }
        int[] rows = new int[n], filled = Arrays.copyOf(start, count);
        for (int r = 0; r < n; r++) {
            rows[filled[group[r]]++] = r;
        }
        List<int[]> groups = new ArrayList<>();
        int maxCorrect = 0;
        double floor = 0.0;
        int[] counts = new int[data.classCount()];
        for (int g = 0; g < count; g++) {
            int size = start[g + 1] - start[g];
            if (size == 1) { // one row: always right
                maxCorrect++;
                continue;
            }
            Arrays.fill(counts, 0);
            for (int i = start[g]; i < start[g + 1]; i++) {
                counts[data.labels()[rows[i]]]++;
            }
            int most = Arrays.stream(counts).max().orElse(0);
            maxCorrect += most;
            if (most < size) {
                groups.add(Arrays.copyOfRange(rows, start[g], start[g + 1]));
                for (int c : counts) {
                    if (c > 0) {
                        floor -= c * Math.log((double) c / size);
                    }
                }
            }
        }
        return new Contradictions(List.copyOf(groups), maxCorrect, floor, n);
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
