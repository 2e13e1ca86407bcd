package dev.descent.onnx;

import dev.descent.data.Standardization;
import dev.descent.init.Initializer;
import dev.descent.layers.Shape;
import dev.descent.modelfile.Model;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every kind of model the exporters must carry: each activation, classification and regression
 * (with several targets), standardised and not, float32 and float64. A float32 model's parameters
 * and statistics are float32 numbers, as a float32 run leaves them.
 */
public final class ExportedModels {
    private ExportedModels() {}

    /**
     * The images of an image case, 2x6x8: not square, so that a height taken for a width shows, and
     * through a convolution with padding, one with a stride, and both kinds of pooling.
     */
    static final Shape IMAGE = new Shape(2, 6, 8);

    /** One model and the raw features to compare on. */
    public record Case(String activation, boolean regression, boolean standardized, Dtype dtype, boolean images) {
        public Case(String activation, boolean regression, boolean standardized, Dtype dtype) {
            this(activation, regression, standardized, dtype, false);
        }

        @Override
        public String toString() {
            return activation + (images ? " convolutional" : "") + (regression ? " regression" : " classifier")
                    + (standardized ? ", standardised" : "") + ", " + dtype.label();
        }

        public int inputs() {
            return images ? IMAGE.size() : 6;
        }

        public Model model() {
            Random rng = new Random(seed());
            int inputs = inputs(), outputs = regression ? 3 : 4;
            // 2x6x8 -> conv 3 k3 p1 (3x6x8) -> maxpool 2 (3x3x4) -> conv 4 k3 s2 p1 (4x2x2) -> avgpool 2 (4x1x1)
            // -> flatten (4) -> 8 -> outputs
            Network net = images ? Network.builder(IMAGE).conv(3, 3, 1, 1).activation(activation).maxPool(2, 2)
                    .conv(4, 3, 2, 1).activation(activation).avgPool(2, 2).flatten().dense(8).activation(activation)
                    .dense(outputs).build()
                    : new Architecture(inputs, List.of(16, 8), activation, outputs).build();
            Initializer.XAVIER.initialize(net, seed());
            for (var p : net.parameters()) { // biases too, so that they count
                double[] v = p.value().data();
                for (int i = 0; i < v.length; i++) {
                    v[i] = round(v[i] + (p.name().startsWith("b") ? 0.1 * rng.nextGaussian() : 0));
                }
            }
            Standardization s = standardized ? statistics(rng, inputs, 5, 3) : null;
            Standardization t = standardized && regression ? statistics(rng, outputs, 100, 40) : null;
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("seed", seed());
            training.put("dtype", dtype.label());
            List<String> names = new ArrayList<>();
            for (int k = 0; k < outputs; k++) {
                names.add((regression ? "target " : "class ") + (char) ('a' + k));
            }
            return new Model(net, names, s, training, regression ? Model.LINEAR : Model.SOFTMAX, t);
        }

        /** Raw features, about mean 5 and sd 3, so that the standardisation matters; float32 numbers for a float32 model. */
        public Matrix features(int rows) {
            Random rng = new Random(seed() + 1);
            Matrix x = new Matrix(rows, inputs());
            for (int i = 0; i < x.size(); i++) {
                x.data()[i] = round(5 + 3 * rng.nextGaussian());
            }
            return x;
        }

        private long seed() {
            return toString().hashCode();
        }

        private Standardization statistics(Random rng, int n, double mean, double sd) {
            double[] m = new double[n], s = new double[n];
            for (int j = 0; j < n; j++) {
                m[j] = round(mean + sd * rng.nextGaussian());
                s[j] = round(sd * (0.5 + rng.nextDouble()));
            }
            return new Standardization(m, s);
        }

        private double round(double v) {
            return dtype == Dtype.FLOAT32 ? (float) v : v;
        }
    }

    /**
     * The 36 cases: 3 activations x 2 tasks x standardised or not, dense in 2 dtypes, convolutional
     * in float32 (ONNX Runtime has no float64 convolution).
     */
    public static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        for (boolean images : new boolean[] {false, true}) {
            for (String a : List.of("relu", "sigmoid", "tanh")) {
                for (boolean regression : new boolean[] {false, true}) {
                    for (boolean standardized : new boolean[] {false, true}) {
                        for (Dtype d : images ? new Dtype[] {Dtype.FLOAT32} : Dtype.values()) {
                            cases.add(new Case(a, regression, standardized, d, images));
                        }
                    }
                }
            }
        }
        return cases;
    }
}
