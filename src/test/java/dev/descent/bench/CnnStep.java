package dev.descent.bench;

import dev.descent.fused.FusedBackprop;
import dev.descent.init.Initializer;
import dev.descent.layers.Conv2d;
import dev.descent.layers.Dense;
import dev.descent.layers.Layer;
import dev.descent.layers.MaxPool2d;
import dev.descent.layers.Shape;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.Products;
import java.util.Locale;
import java.util.Random;

/**
 * The fmnist-cnn step on its own: milliseconds per fused step (batch 128, Adam) in a dtype, then,
 * with {@code kernels}, where a step's time goes: each kernel of each layer over the whole batch on
 * one core, against the matrix products alone (the ceiling of im2col: its products at the
 * measured GEMM speed). Run: {@code bench/cnn-step.sh [float32|float64] [steps] [kernels]}; the
 * whole recipe against PyTorch is {@code bench/fmnist-cnn.sh}.
 */
public final class CnnStep {
    private CnnStep() {}

    static final String LAYERS = "conv32k3p1,pool2,conv64k3p1,pool2,128";

    public static void main(String[] args) {
        Dtype dtype = Dtype.of(args.length > 0 ? args[0] : "float32");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Network n = Recipe.forData().withLayers(LAYERS).withInputShape(new Shape(1, 28, 28))
                .withInit(Initializer.PYTORCH).network(784, 10);
        Random rng = new Random(1);
        Matrix x = new Matrix(128, 784);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = rng.nextDouble();
        }
        int[] y = new int[128];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(10);
        }
        FusedBackprop step = new FusedBackprop(dtype);
        Optimizer adam = Optimizers.create("adam", 1e-3);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        for (int i = 0; i < 10; i++) {
            step.step(n, loss, x, y, adam);
        }
        long t = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step.step(n, loss, x, y, adam);
        }
        double ms = (System.nanoTime() - t) / 1e6 / steps;
        System.out.printf(Locale.ROOT, "descent %s: %.1f ms/step, %,.0f samples/s%n", dtype.label(), ms, 128 / ms * 1000);
        if (args.length > 2 && args[2].equals("kernels")) {
            kernels(n);
        }
    }

    /** Each kernel of the step over 128 images on one core, float32, the median of five. */
    static void kernels(Network n) {
        int batch = 128;
        Random rng = new Random(2);
        double total = 0, products = 0;
        for (Layer layer : n.layers()) {
            if (layer instanceof Conv2d c) {
                Conv2d.Geometry g = c.geometry();
                float[] xs = random(rng, batch * g.inputSize()), w = random(rng, g.filters() * g.patch()),
                        b = random(rng, g.filters()), ys = new float[batch * g.outputSize() + 1],
                        dy = random(rng, batch * g.outputSize() + 1), dw = new float[g.filters() * g.patch() + 1],
                        dx = new float[batch * g.inputSize() + 1], cols = new float[g.patch() * g.positions() + 1];
                double f = time(() -> Conv2d.forward(xs, 0, w, b, ys, 0, batch, g, cols));
                double wg = time(() -> Conv2d.weightGradient(xs, 0, dy, 0, dw, 0, batch, g, cols));
                double ig = time(() -> Conv2d.inputGradient(dy, 0, w, dx, 0, batch, g, cols));
                double gemm = time(() -> {
                    for (int i = 0; i < batch; i++) {
                        Products.matmul(w, 0, cols, ys, i * g.outputSize(), g.filters(), g.patch(), g.positions(), true);
                    }
                });
                double expand = time(() -> {
                    for (int i = 0; i < batch; i++) {
                        dev.descent.layers.Conv2dProbe.expand(xs, i * g.inputSize(), g, cols);
                    }
                });
                System.out.printf(Locale.ROOT, "  %-11s forward %6.1f ms (products %5.1f, im2col %4.1f), dW %6.1f ms, "
                        + "dx %6.1f ms; %.1f GFLOP/s in the forward's products%n", c.describe(), f, gemm, expand, wg, ig,
                        2.0 * batch * g.filters() * g.patch() * g.positions() / gemm / 1e6);
                total += f + wg + ig;
                products += 3 * gemm;
            } else if (layer instanceof MaxPool2d p) {
                var win = p.window();
                float[] xs = random(rng, batch * win.inputSize()), ys = new float[batch * win.outputSize()],
                        dx = new float[batch * win.inputSize()];
                int[] a = new int[batch * win.outputSize()];
                double f = time(() -> MaxPool2d.forward(xs, 0, ys, 0, a, 0, batch, win));
                double bw = time(() -> MaxPool2d.backward(ys, 0, a, 0, dx, 0, batch, win));
                System.out.printf(Locale.ROOT, "  %-11s forward %6.1f ms, backward %6.1f ms%n", p.describe(), f, bw);
                total += f + bw;
            } else if (layer instanceof Dense d) {
                int in = d.inputSize(), out = d.outputSize();
                float[] xs = random(rng, batch * in + in), w = random(rng, in * out), b = random(rng, out),
                        ys = new float[batch * out + out], dw = new float[in * out];
                double f = time(() -> Dense.forward(xs, 0, w, b, ys, 0, batch, in, out));
                double wg = time(() -> Dense.weightGradient(xs, ys, dw, 0, in, batch, in, out, false));
                System.out.printf(Locale.ROOT, "  dense %-5d forward %6.1f ms, dW %6.1f ms%n", out, f, wg);
                total += 2 * f + wg;
            }
        }
        System.out.printf(Locale.ROOT, "  kernels on one core: %.1f ms a step (%.1f on two, split evenly); the "
                + "convolutions' products alone %.1f ms%n", total, total / 2, products);
    }

    static float[] random(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    static double time(Runnable r) {
        double[] t = new double[5];
        for (int i = 0; i < 20; i++) {
            r.run(); // compiled, not interpreted
        }
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        java.util.Arrays.sort(t);
        return t[2];
    }
}
