package dev.descent.report;

import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.layers.Shape;
import dev.descent.network.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A network as a table: each layer, the width of its output (an image's shape, C×H×W, as Keras'
 * {@code summary()} shows it), its parameters by name and shape, their count, and the total. Shown
 * by {@code descent summary} and in the header of every run.
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
 * and for a network of images:
 * <pre>
 * layer        output  parameters                     count
 * input       1x28x28
 * 1 conv     32x28x28  conv1.W 32x1x3x3, conv1.b 1x32    320
 * 2 relu     32x28x28
 * 3 maxpool  32x14x14
 * 4 flatten      6272
 * ...
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
        rows.add(new String[] {"input", output(network.inputSize(), network.inputShape()), "", ""});
        List<Parameter> named = network.parameters();
        List<Shape> shapes = network.outputShapes();
        int width = network.inputSize(), next = 0, index = 0;
        String number = "%" + Integer.toString(network.layers().size()).length() + "d %s"; // 10 layers: " 9 relu", "10 dense"
        for (Layer layer : network.layers()) {
            width = layer.outputSize(width);
            List<String> tensors = new ArrayList<>();
            int count = 0;
            for (int k = 0; k < layer.parameters().size(); k++) {
                Parameter p = named.get(next++);
                tensors.add(p.name() + " " + layer.parameterShape(k));
                count += p.size();
            }
            rows.add(new String[] {String.format(Locale.ROOT, number, ++index, layer.kind()), output(width, shapes.get(index - 1)),
                    String.join(", ", tensors), tensors.isEmpty() ? "" : String.format(Locale.ROOT, "%,d", count)});
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

    /** An output's size as the table shows it: the image's shape, or the row's width. */
    private static String output(int width, Shape shape) {
        return shape != null ? shape.toString() : Integer.toString(width);
    }
}
