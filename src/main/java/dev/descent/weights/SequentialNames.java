package dev.descent.weights;

import dev.descent.layers.Conv2d;
import dev.descent.layers.Dense;
import dev.descent.layers.Dropout;
import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's parameters under the names {@code torch.nn.Sequential} gives them: its modules are
 * numbered from 0 in order, and {@code nn.Linear} number i has {@code i.weight} (out, in) and
 * {@code i.bias} (out). So {@code 5 -> 20 relu -> 10} is
 * {@code nn.Sequential(nn.Linear(5, 20), nn.ReLU(), nn.Linear(20, 10))}: {@code 0.weight}
 * (20, 5), {@code 0.bias} (20), {@code 2.weight} (10, 20), {@code 2.bias} (10).
 *
 * <p>Descent stores W as (in, out), so {@code y = x·W + b}; {@code nn.Linear} stores its weight
 * as (out, in), {@code y = x·weightᵀ + bias}: the one is the transpose of the other, and both
 * directions transpose here. A convolution is {@code nn.Conv2d}: {@code i.weight} (F, C, k, k) and
 * {@code i.bias} (F), its filters in the order Descent keeps them (each row of W is PyTorch's
 * {@code weight[f]}, (C, k, k) flattened), so nothing moves. Flatten is {@code nn.Flatten()}, and
 * both flatten an image channels first, so the dense layer after it reads its values in the same
 * order. Dropout is not counted (it is the identity at prediction, and the model file does not
 * keep it either); every other layer is, as its module would be. So {@code conv4k3p1,pool2,8} on
 * 1×6×6 is {@code nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
 * nn.Flatten(), nn.Linear(36, 8), nn.ReLU(), nn.Linear(8, k))}: {@code 0.weight} (4, 1, 3, 3),
 * {@code 0.bias}, {@code 4.weight} (8, 36), {@code 4.bias}, {@code 6.weight}, {@code 6.bias}.
 */
public final class SequentialNames {
    private SequentialNames() {}

    /**
     * One tensor of the file: its name and shape, the parameter it is, and whether the file holds
     * that parameter's matrix transposed (a dense layer's weight, (out, in) for Descent's (in, out)).
     */
    public record Slot(String name, int[] shape, Parameter parameter, boolean transposed) {
        /** {@code [20, 5]}. */
        public String shapeText() {
            return TensorInfo.text(shape);
        }
    }

    /**
     * The tensors of {@code network}, in order. A layer with parameters that is neither dense nor a
     * convolution (a layer of one's own) has no name in these terms: {@link IllegalArgumentException},
     * naming it.
     */
    public static List<Slot> slots(Network network) {
        List<Slot> slots = new ArrayList<>();
        int index = 0;
        for (Layer layer : network.layers()) {
            if (layer instanceof Dropout) {
                continue;
            }
            if (layer instanceof Dense d) {
                slots.add(new Slot(index + ".weight", new int[] {d.outputSize(), d.inputSize()}, d.weights(), true));
                slots.add(new Slot(index + ".bias", new int[] {d.outputSize()}, d.bias(), false));
            } else if (layer instanceof Conv2d c) {
                Conv2d.Geometry g = c.geometry();
                slots.add(new Slot(index + ".weight", new int[] {g.filters(), g.channels(), g.kernel(), g.kernel()},
                        c.weights(), false));
                slots.add(new Slot(index + ".bias", new int[] {g.filters()}, c.bias(), false));
            } else if (!layer.parameters().isEmpty()) {
                throw new IllegalArgumentException("layer " + (index + 1) + " (" + layer.kind() + ") has parameters "
                        + "that nn.Sequential has no name for: Descent writes and reads the weights of dense layers "
                        + "(nn.Linear), convolutions (nn.Conv2d) and parameterless layers between them");
            }
            index++;
        }
        return slots;
    }

    /** The values of {@code slot} as the file stores them, row-major: a dense layer's weight transposed to (out, in). */
    static double[] fileValues(Slot slot) {
        Matrix m = slot.parameter().value();
        if (!slot.transposed()) {
            return m.data().clone();
        }
        int in = m.rows(), out = m.cols();
        double[] w = m.data(), t = new double[w.length];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                t[o * in + i] = w[i * out + o];
            }
        }
        return t;
    }

    /** Puts {@code values}, as the file stores them for {@code slot}, into its parameter, transposing a dense weight. */
    static void set(Slot slot, double[] values) {
        Matrix m = slot.parameter().value();
        if (!slot.transposed()) {
            System.arraycopy(values, 0, m.data(), 0, values.length);
            return;
        }
        int in = m.rows(), out = m.cols();
        double[] w = m.data();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                w[i * out + o] = values[o * in + i];
            }
        }
    }

    /**
     * The widths a file's tensors describe, when they are those of an nn.Sequential of Linear
     * layers ({@code 784 -> 64 -> 10}), or null: for a message that says what the file holds.
     */
    static String describe(List<TensorInfo> tensors) {
        List<int[]> weights = new ArrayList<>();
        for (int index = 0; ; index += 2) {
            TensorInfo w = find(tensors, index + ".weight");
            if (w == null) {
                break;
            }
            if (w.shape().length != 2) {
                return null;
            }
            weights.add(w.shape());
        }
        if (weights.isEmpty() || weights.size() * 2 != tensors.size()) {
            return null;
        }
        StringBuilder b = new StringBuilder().append(weights.get(0)[1]);
        for (int[] w : weights) {
            b.append(" -> ").append(w[0]);
        }
        return b.toString();
    }

    static TensorInfo find(List<TensorInfo> tensors, String name) {
        for (TensorInfo t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
