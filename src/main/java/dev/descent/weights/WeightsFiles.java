package dev.descent.weights;

import dev.descent.network.Network;
import dev.descent.tensor.Dtype;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A network's parameters to and from a weights file, the format chosen by the file's name:
 * {@code .safetensors} ({@link SafeTensors}) or {@code .npz} ({@link Npz}), under
 * {@link SequentialNames}. Reading checks the file against the network (every name it needs,
 * each shape, no tensor it has no place for) before any value is read, and refuses values that
 * are not finite.
 */
public final class WeightsFiles {
    private WeightsFiles() {}

    /** The file name endings this reads and writes. */
    public static final List<String> EXTENSIONS = List.of(".safetensors", ".npz");

    /** Whether {@code path}'s name ends in {@code .safetensors} or {@code .npz} (any case). */
    public static boolean isWeightsFile(Path path) {
        Path name = path.getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /** Opens a weights file of either format, by its name. */
    public static TensorFile open(Path path) throws WeightsFileException {
        String n = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
        if (n.endsWith(".safetensors")) {
            return SafeTensors.open(path);
        }
        if (n.endsWith(".npz")) {
            return Npz.open(path);
        }
        throw new WeightsFileException(path + ": not a weights file; the name ends in .safetensors or .npz");
    }

    /** Reads {@code path} into {@code network}'s parameters, checked against it first. */
    public static void load(Network network, Path path) throws WeightsFileException {
        try (TensorFile file = open(path)) {
            load(network, file);
        }
    }

    /** Reads {@code file} into {@code network}'s parameters, checked against it first. */
    public static void load(Network network, TensorFile file) throws WeightsFileException {
        List<SequentialNames.Slot> slots = SequentialNames.slots(network);
        List<TensorInfo> tensors = file.tensors();
        String arch = network.describe().replace(" softmax", "");
        String held = SequentialNames.describe(tensors);
        String hint = held == null || held.equals(widths(network)) ? "" : " (the file holds the weights of " + held + ")";
        List<TensorInfo> matched = new ArrayList<>();
        for (SequentialNames.Slot slot : slots) {
            TensorInfo t = SequentialNames.find(tensors, slot.name());
            if (t == null) {
                throw new WeightsFileException(file.path() + " has no tensor " + slot.name() + ", which " + arch
                        + " needs with shape " + slot.shapeText() + "; it has " + names(tensors) + hint);
            }
            if (!java.util.Arrays.equals(t.shape(), slot.shape())) {
                throw new WeightsFileException(file.path() + ": " + slot.name() + " has shape " + t.shapeText()
                        + " but " + arch + " needs " + slot.shapeText() + hint);
            }
            matched.add(t);
        }
        for (TensorInfo t : tensors) {
            if (!matched.contains(t)) {
                throw new WeightsFileException(file.path() + " holds " + t.name() + " " + t.shapeText() + ", which "
                        + arch + " has no place for" + hint);
            }
        }
        for (int i = 0; i < slots.size(); i++) {
            double[] values = file.read(matched.get(i));
            requireFinite(file.path(), slots.get(i), values);
            SequentialNames.set(slots.get(i), values);
        }
    }

    private static void requireFinite(Path path, SequentialNames.Slot slot, double[] values) throws WeightsFileException {
        for (int k = 0; k < values.length; k++) {
            if (!Double.isFinite(values[k])) {
                throw new WeightsFileException(path + ": " + slot.name() + index(slot.shape(), k) + " is "
                        + values[k] + "; parameters must be finite");
            }
        }
    }

    /** Where the k-th value of a row-major tensor of {@code shape} is: {@code [3]}, {@code [2][4]}, {@code [0][1][2][2]}. */
    static String index(int[] shape, int k) {
        StringBuilder at = new StringBuilder();
        for (int d = shape.length - 1; d >= 0; d--) {
            at.insert(0, "[" + k % shape[d] + "]");
            k /= shape[d];
        }
        return at.toString();
    }

    /** {@code 784 -> 128 -> 10}: the network's widths, as {@link SequentialNames#describe} writes a file's. */
    private static String widths(Network network) {
        StringBuilder b = new StringBuilder().append(network.inputSize());
        for (var layer : network.layers()) {
            if (layer instanceof dev.descent.layers.Dense d) {
                b.append(" -> ").append(d.outputSize());
            }
        }
        return b.toString();
    }

    /** The first names of a file, for a message: {@code 0.weight, 0.bias, 2.weight, ... (6 in all)}. */
    private static String names(List<TensorInfo> tensors) {
        if (tensors.isEmpty()) {
            return "no tensors";
        }
        List<String> names = tensors.stream().limit(6).map(TensorInfo::name).toList();
        return String.join(", ", names) + (tensors.size() > 6 ? ", ... (" + tensors.size() + " in all)" : "");
    }

    /** The network's parameters as the file stores them, in {@link SequentialNames} order. */
    public static List<NamedArray> arrays(Network network) {
        List<NamedArray> arrays = new ArrayList<>();
        for (SequentialNames.Slot slot : SequentialNames.slots(network)) {
            arrays.add(new NamedArray(slot.name(), slot.shape(), SequentialNames.fileValues(slot)));
        }
        return arrays;
    }

    /**
     * Writes {@code network}'s parameters to {@code path} atomically, in the format its name says,
     * as {@code dtype}; {@code metadata} goes in a safetensors header (an {@code .npz} has no place for it).
     */
    public static void write(Network network, Dtype dtype, Map<String, String> metadata, Path path) throws IOException {
        List<NamedArray> arrays = arrays(network);
        String n = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
        if (n.endsWith(".npz")) {
            Npz.write(arrays, dtype, path);
        } else {
            SafeTensors.write(arrays, dtype, metadata, path);
        }
    }
}
