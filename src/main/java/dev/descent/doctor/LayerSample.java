package dev.descent.doctor;

import dev.descent.gradient.GradientSource;
import dev.descent.layers.ElementWise;
import dev.descent.layers.Layer;
import dev.descent.layers.Shape;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-layer figures the doctor watches, taken at the network's current parameters: for each
 * weight tensor the gradient's norm |dW|, its size relative to the weights |dW| / |W|, and the
 * update-to-weight ratio |ΔW| / |W| of the step the optimizer would take next (about 1e-3 is
 * healthy, after the CS231n notes); for each activation layer how many units are dead (a ReLU
 * inactive on every watched sample; after a convolution, a filter inactive at every position of
 * every watched image, as the doctor counts them) or saturated (a sigmoid or tanh within
 * {@link LayerStats#SATURATION} of its limits on {@link LayerStats#SATURATED_SAMPLES} of them).
 *
 * <p>The same formulas as the doctor's findings ({@code LayerStats}, {@code Watcher}), offered for
 * a run's own listeners: the live page samples them as training goes. Biases are left out of the
 * tensors, as the doctor leaves them out (they start at 0, so their ratios mean little).
 *
 * @param tensors       the weight tensors' names, W1 first
 * @param gradientNorm  |dW| of each
 * @param gradientRatio |dW| / |W| of each
 * @param updateRatio   |ΔW| / |W| of each
 * @param units         one entry per activation layer, in order
 */
public record LayerSample(List<String> tensors, double[] gradientNorm, double[] gradientRatio, double[] updateRatio,
        List<Units> units) {
    /**
     * @param layer     {@code layer 2 (relu)}, numbered as the doctor's findings number layers
     * @param kind      the activation's name
     * @param count     how many there are of what is counted
     * @param of        what is counted, as a page says it: {@code units}, or {@code filters} for a
     *                  ReLU after a convolution (a filter is dead when it is off at every position)
     * @param dead      ReLU units (or filters) inactive on every watched sample (0 for other kinds)
     * @param saturated sigmoid or tanh units saturated (0 for ReLU)
     */
    public record Units(String layer, String kind, int count, String of, int dead, int saturated) {}

    /**
     * Takes the figures; the network's parameters and gradients are left as they were.
     *
     * @param gradients the run's own gradient source ({@code TrainingStep.gradients()})
     * @param next      an optimizer in the state the run's is in now (a copy: it takes one step here)
     * @param x         the batch the gradient is taken on, x: (N, in), with labels y: (N)
     * @param watched   the samples unit activity is measured on: (M, in)
     */
    public static LayerSample of(Network network, GradientSource gradients, Loss loss, Optimizer next, Matrix x,
            int[] y, Matrix watched) {
        LayerStats stats = LayerStats.firstStep(network, gradients, loss, next, x, y);
        List<String> names = new ArrayList<>();
        List<Integer> weights = stats.weights();
        double[] norm = new double[weights.size()], ratio = new double[weights.size()],
                update = new double[weights.size()];
        for (int k = 0; k < weights.size(); k++) {
            int i = weights.get(k);
            names.add(stats.names().get(i));
            norm[k] = stats.gradientNorm()[i];
            ratio[k] = stats.gradient()[i];
            update[k] = stats.update()[i];
        }
        return new LayerSample(List.copyOf(names), norm, ratio, update, units(network, watched));
    }

    private static List<Units> units(Network network, Matrix watched) {
        List<Units> units = new ArrayList<>();
        List<Matrix> trace = network.forwardTrace(watched);
        List<Layer> layers = network.layers();
        List<Shape> shapes = network.outputShapes();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            Matrix out = trace.get(i);
            String name = "layer " + (i + 1) + " (" + l.kind() + ")";
            if (l instanceof ElementWise e && e.rectifies()) {
                boolean[] active = Watcher.activeUnits(e, out, shapes.get(i));
                int dead = 0;
                for (boolean a : active) {
                    dead += a ? 0 : 1;
                }
                units.add(new Units(name, l.kind(), active.length, shapes.get(i) == null ? "units" : "filters", dead,
                        0));
            } else if (l instanceof ElementWise e && e.saturates()) {
                units.add(new Units(name, l.kind(), out.cols(), "units", 0, LayerStats.saturatedUnits(e, out)));
            }
        }
        return List.copyOf(units);
    }
}
