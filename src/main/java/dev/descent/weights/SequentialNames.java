package dev.descent.weights;

import dev.descent.layers.Dense;
import dev.descent.layers.Dropout;
import dev.descent.layers.Layer;
import dev.descent.network.Network;
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
 * directions transpose here. Dropout is not counted (it is the identity at prediction, and the
 * model file does not keep it either); every other layer is, as its module would be.
 */
public final class SequentialNames {
    private SequentialNames() {}

    /** One tensor of the file: its name and shape, and the dense layer it belongs to. */
    public record Slot(String name, int[] shape, Dense layer, boolean weight) {
        /** {@code [20, 5]}. */
        public String shapeText() {
            return TensorInfo.text(shape);
        }
    }

    /**
     * The tensors of {@code network}, in order. A layer with parameters that is not dense has no
     * name in these terms: {@link IllegalArgumentException}, naming it.
     */
    public static List<Slot> slots(Network network) {
        List<Slot> slots = new ArrayList<>();
        int index = 0;
        for (Layer layer : network.layers()) {
            if (layer instanceof Dropout) {
                continue;
            }
            if (layer instanceof Dense d) {
                slots.add(new Slot(index + ".weight", new int[] {d.outputSize(), d.inputSize()}, d, true));
                slots.add(new Slot(index + ".bias", new int[] {d.outputSize()}, d, false));
            } else if (!layer.parameters().isEmpty()) {
                throw new IllegalArgumentException("layer " + (index + 1) + " (" + layer.kind() + ") has parameters "
                        + "that nn.Sequential has no name for: Descent writes and reads the weights of dense layers "
                        + "(nn.Linear) and parameterless layers between them");
            }
            index++;
        }
        return slots;
    }

    /** The values of {@code slot} as the file stores them: the weight transposed to (out, in), row-major. */
    static double[] fileValues(Slot slot) {
        Dense d = slot.layer();
        if (!slot.weight()) {
            return d.bias().value().data().clone();
        }
        int in = d.inputSize(), out = d.outputSize();
        double[] w = d.weights().value().data(), t = new double[w.length];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                t[o * in + i] = w[i * out + o];
            }
        }
        return t;
    }

    /** Puts {@code values}, as the file stores them for {@code slot}, into its layer, transposing a weight. */
    static void set(Slot slot, double[] values) {
        Dense d = slot.layer();
        if (!slot.weight()) {
            System.arraycopy(values, 0, d.bias().value().data(), 0, values.length);
            return;
        }
        int in = d.inputSize(), out = d.outputSize();
        double[] w = d.weights().value().data();
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
