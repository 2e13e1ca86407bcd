package dev.descent.report;

import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.network.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A network as a table: each layer, the width of its output, its parameters by name and shape,
 * their count, and the total. Shown by {@code descent summary} and in the header of every run.
 *
 * <pre>
 * layer      output  parameters          count
 * input           5
 * 1 dense        20  W1 5x20, b1 1x20      120
 * 2 relu         20
 * 3 dense        10  W2 20x10, b2 1x10     210
 * softmax        10
 * total                                    330
 * </pre>
 */
public final class ModelSummary {
    private ModelSummary() {}

    /** The table's lines, without line breaks, for a classifier. */
    public static List<String> table(Network network) {
        return table(network, false);
    }

    /** The table's lines: the output a softmax for a classifier, linear for a regression model. */
    public static List<String> table(Network network, boolean regression) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"layer", "output", "parameters", "count"});
        rows.add(new String[] {"input", Integer.toString(network.inputSize()), "", ""});
        List<Parameter> named = network.parameters();
        int width = network.inputSize(), next = 0, index = 0;
        for (Layer layer : network.layers()) {
            width = layer.outputSize(width);
            List<String> shapes = new ArrayList<>();
            int count = 0;
            for (int k = 0; k < layer.parameters().size(); k++) {
                Parameter p = named.get(next++);
                shapes.add(p.name() + " " + p.value().rows() + "x" + p.value().cols());
                count += p.size();
            }
            rows.add(new String[] {++index + " " + layer.kind(), Integer.toString(width), String.join(", ", shapes),
                    shapes.isEmpty() ? "" : String.format(Locale.ROOT, "%,d", count)});
        }
        rows.add(new String[] {regression ? "linear" : "softmax", Integer.toString(width), "", ""});
        rows.add(new String[] {"total", "", "", String.format(Locale.ROOT, "%,d", network.parameterCount())});
        int[] w = new int[4];
        for (String[] r : rows) {
            for (int c = 0; c < 4; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] r : rows) {
            lines.add(String.format(Locale.ROOT, "%-" + w[0] + "s  %" + w[1] + "s  %-" + w[2] + "s  %" + w[3] + "s",
                    r[0], r[1], r[2], r[3]).stripTrailing());
        }
        return lines;
    }
}
