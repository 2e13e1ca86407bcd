package dev.descent.modelfile;

import dev.descent.data.Standardization;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.Arrays;

/**
 * Refuses a model whose finite parameters still cannot predict: weights so large (or standard
 * deviations so small) that the logits overflow to infinity, where softmax gives NaN for every
 * class. The network is run on three probe inputs, all zeros and all ones as read from the data,
 * and all ones after standardisation; a trained model gives finite logits for each by far.
 * {@link #check(Matrix, int)} is the same test for the rows actually predicted.
 */
public final class Overflow {
    private Overflow() {}

    static void check(Network network, Standardization s) throws ModelFileReader.Invalid {
        int k = network.inputSize();
        String[] names = {"all zeros", "all ones", "all ones after standardisation"};
        for (int probe = 0; probe < names.length; probe++) {
            Matrix x = new Matrix(1, k);
            Arrays.fill(x.data(), probe == 0 ? 0 : 1);
            if (s != null && probe < 2) {
                s.applyInPlace(x, 1);
            }
            int bad = check(network.forward(x), 1);
            if (bad >= 0) {
                throw new ModelFileReader.Invalid("its outputs overflow: for an input of " + names[probe]
                        + " the logits are not finite numbers, so every prediction would be NaN; its weights"
                        + (s != null ? " or standardisation" : "") + " are too large to predict with");
            }
        }
    }

    /** The first of the first {@code rows} rows of {@code logits} with a value that is not finite, or -1. */
    public static int check(Matrix logits, int rows) {
        int k = logits.cols();
        double[] d = logits.data();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < k; c++) {
                if (!Double.isFinite(d[r * k + c])) {
                    return r;
                }
            }
        }
        return -1;
    }
}
