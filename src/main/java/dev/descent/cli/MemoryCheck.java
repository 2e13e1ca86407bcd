package dev.descent.cli;

import dev.descent.io.Heap;
import dev.descent.layers.Layer;
import dev.descent.modelfile.ModelFile;
import dev.descent.network.Network;
import dev.descent.train.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Refuses a network too large to build or train before anything is allocated for it: more than
 * {@link ModelFile#MAX_PARAMETERS} parameters, or more memory than the Java heap has left, with
 * the figures. The estimate counts float64 copies of the parameters (values, gradients, the
 * optimizer's running sums, a snapshot for early stopping and one for each checkpoint) and the
 * activations of the rows a step or an evaluation runs at once.
 */
final class MemoryCheck {
    private MemoryCheck() {}

    /** Parameters of dense layers of these widths, input first and classes last. */
    static long parameters(List<Integer> widths) {
        long total = 0;
        for (int i = 0; i + 1 < widths.size(); i++) {
            total += ((long) widths.get(i) + 1) * widths.get(i + 1);
        }
        return total;
    }

    /** Refuses hidden layers whose products alone exceed the bound, before any data is read. */
    static void hidden(String flag, String text, List<Integer> hidden) {
        long count = parameters(hidden);
        if (count > ModelFile.MAX_PARAMETERS) {
            throw UserError.badValue(flag, text, String.format(Locale.ROOT, "makes more than %,d parameters "
                    + "(%,d between the hidden layers alone); at most %,d are allowed", ModelFile.MAX_PARAMETERS, count,
                    ModelFile.MAX_PARAMETERS));
        }
    }

    /**
     * Refuses a network of {@code widths} (input, hidden..., classes) that is over the bound or will
     * not fit in the heap, trained with {@code slots} optimizer arrays per parameter, on steps of
     * {@code rows} rows (a step's, or an evaluation's: see {@link #rowsAtOnce}).
     */
    static void network(String what, List<Integer> widths, int slots, boolean bestCopy, boolean checkpoints, int rows) {
        long widest = 0;
        for (int w : widths) {
            widest += w;
        }
        network(what, describe(widths), parameters(widths), widest, slots, bestCopy, checkpoints, rows);
    }

    /** The same for a network already built (a model file's), images included: its parameters and every layer's output. */
    static void network(String what, Network network, int slots, boolean bestCopy, boolean checkpoints, int rows) {
        long values = network.inputSize();
        int width = network.inputSize();
        for (Layer layer : network.layers()) {
            width = layer.outputSize(width);
            values += width;
        }
        network(what, network.describe(), network.parameterCount(), values, slots, bestCopy, checkpoints, rows);
    }

    /**
     * Refuses a network of {@code count} parameters whose layers' outputs hold {@code values} values a
     * row (the input and activations included), described as {@code description}.
     */
    static void network(String what, String description, long count, long values, int slots, boolean bestCopy,
            boolean checkpoints, int rows) {
        if (count > ModelFile.MAX_PARAMETERS) {
            throw new UserError(String.format(Locale.ROOT, "%s: the network %s would have %,d parameters; at most %,d "
                    + "are allowed", what, description, count, ModelFile.MAX_PARAMETERS));
        }
        long copies = 2 + slots + (bestCopy ? 1 : 0) + (checkpoints ? 1 + slots : 0);
        // Forward caches, backward buffers, float32 twins: about four values per unit and row.
        long activations = 4L * rows * values;
        long needed = 8 * (copies * count + activations);
        long free = Heap.available();
        if (needed > free) {
            throw new UserError(what + ": the network " + description + " needs about " + Heap.megabytes(needed)
                    + " of memory to train (" + String.format(Locale.ROOT, "%,d", count) + " parameters, steps of "
                    + rows + " rows) but the Java heap has " + Heap.megabytes(free) + " free; use smaller --layers or "
                    + "--batch, or give Java more memory (JDK_JAVA_OPTIONS=-Xmx8g)");
        }
    }

    /** The most rows a step or an evaluation runs at once, for {@code samples} rows in batches of {@code batch}. */
    static int rowsAtOnce(int samples, int batch) {
        return Math.max(Math.min(samples, batch), Math.min(samples, Evaluation.BATCH));
    }

    private static String describe(List<Integer> widths) {
        List<String> parts = new ArrayList<>();
        widths.forEach(w -> parts.add(Integer.toString(w)));
        return String.join("-", parts);
    }
}
