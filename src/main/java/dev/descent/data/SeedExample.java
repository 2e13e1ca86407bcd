package dev.descent.data;

import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The data set of the thread Descent comes from: 10 samples of 5 binary features, labelled
 * 0, 1, ..., 9, one class per sample.
 *
 * <p>Two inputs appear twice with different labels: [1,0,0,0,1] as samples 2 and 9 (labels 1
 * and 8) and [0,1,1,0,0] as samples 5 and 6 (labels 4 and 5). No model can tell the members of a
 * pair apart, so at most 8 of 10 samples can be right (80% accuracy), and the summed
 * cross-entropy cannot go below 4 ln 2 ≈ 2.77: each pair at best predicts 1/2 for both labels.
 */
public final class SeedExample {
    private SeedExample() {}

    private static final double[][] INPUTS = {
        {1, 0, 0, 1, 0},
        {1, 0, 0, 0, 1},
        {1, 0, 0, 1, 1},
        {0, 0, 1, 1, 0},
        {0, 1, 1, 0, 0},
        {0, 1, 1, 0, 0},
        {0, 0, 0, 0, 1},
        {0, 0, 1, 0, 0},
        {1, 0, 0, 0, 1},
        {1, 1, 1, 0, 1},
    };

    /** The highest training accuracy any model can reach on this data. */
    public static final double MAX_ACCURACY = 0.8;

    /** The lowest summed cross-entropy any model can reach on this data, 4 ln 2. */
    public static final double MIN_SUMMED_LOSS = 4 * Math.log(2);

    /** The 10 samples, labels 0..9, class names "0".."9". */
    public static Dataset dataset() {
        int[] labels = new int[INPUTS.length];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i;
            names.add(Integer.toString(i));
        }
        return new Dataset(Matrix.of(INPUTS), labels, names, "seed example");
    }
}
