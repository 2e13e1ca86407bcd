package dev.descent.doctor;

import dev.descent.gradient.GradientSource;
import dev.descent.layers.ElementWise;
import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-tensor figures of one step, the ones the CS231n notes tell a practitioner to watch: the
 * gradient's norm relative to the weights' (|dW| / |W|), and the update-to-weight ratio |ΔW| / |W|
 * of the step, about 1e-3 being healthy. Also, per sigmoid or tanh layer, the fraction of units
 * saturated (output within {@link #SATURATION} of its limits) on nearly every sample.
 *
 * @param names       the tensors, in order
 * @param gradient    |dW| / |W| of each (|dW| when |W| is 0)
 * @param update      |ΔW| / |W| of each
 * @param gradientNorm |dW| of each
 */
record LayerStats(List<String> names, double[] gradient, double[] update, double[] gradientNorm) {
    /** Outputs within this of a sigmoid's 0 or 1, or of tanh's ±1, are saturated. */
    static final double SATURATION = 0.01;
    /** A unit is saturated when it is so on at least this fraction of samples. */
    static final double SATURATED_SAMPLES = 0.9;
    /**
     * A weight tensor's |dW| / |W| per sample above this explodes: a gradient a hundred times the
     * size of its weights, where healthy runs start between about 1e-2 and 10 (the step, |ΔW| /
     * |W| = lr · |dW| / |W|, should be about 1e-3), so no learning rate suits every layer.
     */
    static final double EXPLODING = 100;

    /** The first layer's relative gradient below this fraction of the last layer's is vanishing. */
    static final double VANISHING_RATIO = 1e-3;

    /** The figures of one step from the network's current parameters on x, y; the parameters are left as they were. */
    static LayerStats firstStep(Network network, GradientSource gradients, Loss loss, Optimizer optimizer, Matrix x,
            int[] y) {
        List<Matrix> before = network.snapshot();
        gradients.computeGradients(network, loss, x, y);
        List<Parameter> ps = network.parameters();
        List<String> names = new ArrayList<>();
        double[] g = new double[ps.size()], u = new double[ps.size()], gn = new double[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            names.add(ps.get(i).name());
            double w = norm(ps.get(i).value().data());
            gn[i] = norm(ps.get(i).grad().data());
            g[i] = gn[i] / (w > 0 ? w : 1);
        }
        optimizer.step(ps);
        for (int i = 0; i < ps.size(); i++) {
            double[] a = ps.get(i).value().data(), b = before.get(i).data();
            double d = 0, w = 0;
            for (int k = 0; k < a.length; k++) {
                d += (a[k] - b[k]) * (a[k] - b[k]);
                w += b[k] * b[k];
            }
            u[i] = Math.sqrt(d) / (w > 0 ? Math.sqrt(w) : 1);
        }
        network.restore(before);
        network.zeroGrad();
        return new LayerStats(names, g, u, gn);
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /**
     * The weight tensors (W1, conv1.W, ...) by index, biases (b1, conv1.b) left out: they start
     * at 0 or near it, so their ratios to themselves mean little.
     */
    List<Integer> weights() {
        List<Integer> w = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!isBias(names.get(i))) {
                w.add(i);
            }
        }
        return w;
    }

    /** A dense layer's bias is {@code bk}; a convolution's, or another layer's, {@code <layer>.b} ({@code Network}'s names). */
    static boolean isBias(String tensor) {
        return tensor.startsWith("b") || tensor.endsWith(".b");
    }

    /** The largest update-to-weight ratio over the weight tensors. */
    double largestUpdate() {
        double m = 0;
        for (int i : weights()) {
            m = Math.max(m, update[i]);
        }
        return m;
    }

    /** The first weight tensor's relative gradient over the last one's; 1 with fewer than two. */
    double firstOverLast() {
        List<Integer> w = weights();
        if (w.size() < 2 || gradient[w.get(w.size() - 1)] == 0) {
            return 1;
        }
        return gradient[w.get(0)] / gradient[w.get(w.size() - 1)];
    }

    /**
     * The weight tensors whose |dW| / |W| per sample is above {@link #EXPLODING}, with it:
     * {@code W1 7.7e+03}; {@code perSample} divides the figures (the batch's size under a summed loss, else 1).
     */
    List<String> exploding(double perSample) {
        List<String> out = new ArrayList<>();
        for (int i : weights()) {
            if (gradient[i] / perSample > EXPLODING) {
                out.add(String.format(Locale.ROOT, "%s %.2g", names.get(i), gradient[i] / perSample));
            }
        }
        return out;
    }

    String describeGradients() {
        return "|dW|/|W| per tensor at the start: " + describe(gradient);
    }

    String describeUpdates() {
        return "update-to-weight ratio |ΔW|/|W| of the first step: " + describe(update) + " (about 1e-3 is healthy)";
    }

    private String describe(double[] v) {
        List<String> parts = new ArrayList<>();
        for (int i : weights()) {
            parts.add(String.format(Locale.ROOT, "%s %.2g", names.get(i), v[i]));
        }
        return String.join(", ", parts);
    }

    /**
     * Per sigmoid or tanh layer with saturated units: {@code layer 2 (sigmoid): 18 of 20 units saturated}.
     * A unit counts when it is within {@link #SATURATION} of its limits on {@link #SATURATED_SAMPLES} of x's rows.
     *
     * @param atLeast only layers where at least this fraction of the units are saturated
     */
    static List<String> saturated(Network network, Matrix x, double atLeast) {
        List<String> lines = new ArrayList<>();
        List<Matrix> trace = network.forwardTrace(x);
        List<Layer> layers = network.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (!(l instanceof ElementWise e && e.saturates())) {
                continue;
            }
            Matrix y = trace.get(i);
            int units = saturatedUnits(e, y);
            if (units > 0 && units >= atLeast * y.cols()) {
                lines.add(String.format(Locale.ROOT, "layer %d (%s): %d of %d units saturated on %.0f%% or more of "
                        + "the samples", i + 1, l.kind(), units, y.cols(), 100 * SATURATED_SAMPLES));
            }
        }
        return lines;
    }

    /**
     * How many units (columns of y, the output of an activation that saturates) are within
     * {@link #SATURATION} of a limit on {@link #SATURATED_SAMPLES} of the rows.
     */
    static int saturatedUnits(ElementWise activation, Matrix y) {
        int units = 0;
        for (int j = 0; j < y.cols(); j++) {
            int at = 0;
            for (int r = 0; r < y.rows(); r++) {
                at += activation.fromLimit(y.get(r, j)) < SATURATION ? 1 : 0;
            }
            units += at >= SATURATED_SAMPLES * y.rows() ? 1 : 0;
        }
        return units;
    }
}
