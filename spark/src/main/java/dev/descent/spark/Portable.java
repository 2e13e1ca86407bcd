package dev.descent.spark;

import dev.descent.data.Standardization;
import dev.descent.layers.AvgPool2d;
import dev.descent.layers.Conv2d;
import dev.descent.layers.Dense;
import dev.descent.layers.Layer;
import dev.descent.layers.MaxPool2d;
import dev.descent.layers.Shape;
import dev.descent.modelfile.Model;
import dev.descent.network.Network;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A library {@link Model} in a form Spark can ship to executors: the input's image shape (or
 * null), the layers as words ({@code dense 128}, {@code relu}, {@code conv 32 3 1 1} for filters,
 * kernel, stride and padding, {@code maxpool 2 2} and {@code avgpool 2 2} for window and stride,
 * {@code flatten}), θ flat, the class (or target) names, the standardisation, the
 * provenance, and for regression the linear output and the targets' standardisation. The network
 * is built from it where it is used.
 *
 * @param mean       null without standardisation
 * @param output     {@code Model.SOFTMAX} or {@code Model.LINEAR}
 * @param targetMean null without a targets' standardisation
 */
record Portable(int inputs, Shape inputShape, List<String> layers, double[] theta, List<String> classNames, double[] mean,
        double[] std, LinkedHashMap<String, Object> training, String output, double[] targetMean,
        double[] targetStd) implements Serializable {
    static Portable of(Model model) {
        List<String> layers = new ArrayList<>();
        for (Layer layer : model.network().layers()) {
            if (layer instanceof Dense d) {
                layers.add("dense " + d.outputSize());
            } else if (layer instanceof Conv2d c) {
                Conv2d.Geometry g = c.geometry();
                layers.add("conv " + g.filters() + " " + g.kernel() + " " + g.stride() + " " + g.padding());
            } else if (layer instanceof MaxPool2d m) {
                layers.add("maxpool " + m.window().size() + " " + m.window().stride());
            } else if (layer instanceof AvgPool2d a) {
                layers.add("avgpool " + a.window().size() + " " + a.window().stride());
            } else {
                layers.add(layer.kind());
            }
        }
        Standardization s = model.standardization(), t = model.targetStandardization();
        return new Portable(model.network().inputSize(), model.network().inputShape(), List.copyOf(layers),
                Theta.read(model.network()),
                List.copyOf(model.classNames()), s == null ? null : s.mean().clone(), s == null ? null : s.std().clone(),
                new LinkedHashMap<>(model.training()), model.output(), t == null ? null : t.mean().clone(),
                t == null ? null : t.std().clone());
    }

    Network network() {
        Network.Builder b = inputShape == null ? Network.builder(inputs) : Network.builder(inputShape);
        for (String layer : layers) {
            String[] w = layer.split(" ");
            switch (w[0]) {
                case "dense" -> b.dense(Integer.parseInt(w[1]));
                case "conv" -> b.conv(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]),
                        Integer.parseInt(w[4]));
                case "maxpool" -> b.maxPool(Integer.parseInt(w[1]), Integer.parseInt(w[2]));
                case "avgpool" -> b.avgPool(Integer.parseInt(w[1]), Integer.parseInt(w[2]));
                case "flatten" -> b.flatten();
                default -> b.activation(layer);
            }
        }
        Network network = b.build();
        Theta.write(theta, network);
        return network;
    }

    Model model() {
        return new Model(network(), classNames, mean == null ? null : new Standardization(mean, std),
                (Map<String, Object>) training, output,
                targetMean == null ? null : new Standardization(targetMean, targetStd));
    }

    boolean regression() {
        return output.equals(Model.LINEAR);
    }
}
