package dev.descent.bench;

import dev.descent.data.Features;
import dev.descent.fused.FusedBackprop;
import dev.descent.init.Initializer;
import dev.descent.layers.Dense;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.Parallel;
import dev.descent.train.TrainingStep;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How close the fused training step comes to the limit: the matrix products of one step alone,
 * on the step's own shapes and split across the cores as the step splits them (each core its rows
 * of the batch for the forward products and the input gradients, its rows of dW and entries of db
 * for the weight gradients), by the same kernels ({@link Dense}'s, on OpenBLAS), against the whole
 * step with its element-wise work, loss and update. The share is products / step.
 * Run: {@code java -cp ... dev.descent.bench.Ceiling [hidden] [float64|float32] [sgd|adam]}; bench/ceiling.sh runs the recipes.
 */
public final class Ceiling {
    private Ceiling() {}

    static final int BATCH = 128, STEPS = 2000, ROUNDS = 5;

    public static void main(String[] args) {
        List<Integer> hidden = Arrays.stream((args.length > 0 ? args[0] : "128").split(",")).map(Integer::valueOf).toList();
        Dtype dtype = Dtype.of(args.length > 1 ? args[1] : "float32");
        String optimizer = args.length > 2 ? args[2] : "sgd";
        int[] width = new int[hidden.size() + 2];
        width[0] = 784;
        for (int l = 0; l < hidden.size(); l++) {
            width[l + 1] = hidden.get(l);
        }
        width[width.length - 1] = 10;

        Network n = new Architecture(784, hidden, "relu", 10).build();
        Initializer.PYTORCH.initialize(n, 0);
        Random rng = new Random(1);
        byte[] pixels = new byte[BATCH * 8 * 784];
        rng.nextBytes(pixels);
        Features features = Features.ofBytes(pixels, BATCH * 8, 784, 1.0 / 255);
        int[] order = new int[BATCH * 8], labels = new int[BATCH];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = 0; i < BATCH; i++) {
            labels[i] = rng.nextInt(10);
        }
        Matrix x = new Matrix(BATCH, 784);
        FusedBackprop step = new FusedBackprop(dtype);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        double lr = optimizer.equals("adam") ? 1e-7 : 1e-6; // small: thousands of steps leave θ about as it was
        Products products = dtype == Dtype.FLOAT32 ? new Products32(width) : new Products64(width);

        double bestStep = Double.MAX_VALUE, bestProducts = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            try (TrainingStep.Run run = step.run(n, loss, Optimizers.create(optimizer, lr))) {
                for (int s = 0; s < STEPS; s++) {
                    run.step(features, order, (s % 8) * BATCH, x, labels);
                }
            }
            bestStep = Math.min(bestStep, (System.nanoTime() - t0) / 1e3 / STEPS);
            t0 = System.nanoTime();
            for (int s = 0; s < STEPS; s++) {
                products.step();
            }
            bestProducts = Math.min(bestProducts, (System.nanoTime() - t0) / 1e3 / STEPS);
        }
        long flops = Fmnist.flopsPerSample(784, hidden, 10) * BATCH;
        System.out.printf(Locale.ROOT, "ceiling %s %s 784-%s-10, batch %d: step %.0f µs (%.1f GFLOP/s), its products "
                        + "alone %.0f µs (%.1f GFLOP/s): the step runs at %.0f%% of its products' speed%n",
                dtype.label(), optimizer, String.join("-", hidden.stream().map(String::valueOf).toList()), BATCH,
                bestStep, flops / bestStep / 1e3, bestProducts, flops / bestProducts / 1e3,
                100 * bestProducts / bestStep);
    }

    /** The products of one step, on both cores as the fused step splits them. */
    private interface Products {
        void step();
    }

    private static final class Products64 implements Products {
        final int[] w;
        final double[][] a, g, weights, grads, bias, dBias;
        final double[] ones = new double[BATCH];
        final int parts = Math.min(Parallel.THREADS, 2);

        Products64(int[] w) {
            this.w = w;
            int layers = w.length - 1, widest = Arrays.stream(w).max().orElse(1);
            a = new double[layers + 1][];
            g = new double[2][(BATCH + 1) * widest];
            weights = new double[layers][];
            grads = new double[layers][];
            bias = new double[layers][];
            dBias = new double[layers][];
            Random rng = new Random(2);
            for (int l = 0; l <= layers; l++) {
                a[l] = random(rng, (BATCH + 1) * w[l]);
            }
            for (int l = 0; l < layers; l++) {
                weights[l] = random(rng, w[l] * w[l + 1]);
                grads[l] = new double[w[l] * w[l + 1]];
                bias[l] = random(rng, w[l + 1]);
                dBias[l] = new double[w[l + 1]];
            }
            Arrays.fill(ones, 1);
            Arrays.fill(g[0], 0.01);
        }

        static double[] random(Random rng, int n) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextGaussian() * 0.1;
            }
            return v;
        }

        @Override
        public void step() {
            int layers = w.length - 1;
            Parallel.parts(BATCH, parts, (p, from, to) -> {
                for (int l = 0; l < layers; l++) {
                    Dense.forward(a[l], from * w[l], weights[l], bias[l], a[l + 1], from * w[l + 1], to - from, w[l],
                            w[l + 1]);
                }
            });
            for (int l = layers - 1; l >= 0; l--) {
                int layer = l;
                Parallel.parts(BATCH, parts, (p, from, to) -> {
                    int in = w[layer], d = w[layer + 1];
                    int r0 = Parallel.start(in, p, parts), r1 = Parallel.start(in, p + 1, parts);
                    Dense.weightGradient(a[layer], g[0], grads[layer], r0, r1, BATCH, in, d, false);
                    int c0 = Parallel.start(d, p, parts), c1 = Parallel.start(d, p + 1, parts);
                    Dense.biasGradient(g[0], ones, dBias[layer], c0, c1, BATCH, d, false);
                    if (layer > 0) {
                        Dense.inputGradient(g[0], from * d, weights[layer], g[1], from * in, to - from, in, d);
                    }
                });
            }
        }
    }

    private static final class Products32 implements Products {
        final int[] w;
        final float[][] a, g, weights, grads, bias, dBias;
        final float[] ones = new float[BATCH];
        final int parts = Math.min(Parallel.THREADS, 2);

        Products32(int[] w) {
            this.w = w;
            int layers = w.length - 1, widest = Arrays.stream(w).max().orElse(1);
            a = new float[layers + 1][];
            g = new float[2][(BATCH + 1) * widest];
            weights = new float[layers][];
            grads = new float[layers][];
            bias = new float[layers][];
            dBias = new float[layers][];
            Random rng = new Random(2);
            for (int l = 0; l <= layers; l++) {
                a[l] = random(rng, (BATCH + 1) * w[l]);
            }
            for (int l = 0; l < layers; l++) {
                weights[l] = random(rng, w[l] * w[l + 1]);
                grads[l] = new float[w[l] * w[l + 1]];
                bias[l] = random(rng, w[l + 1]);
                dBias[l] = new float[w[l + 1]];
            }
            Arrays.fill(ones, 1);
            Arrays.fill(g[0], 0.01f);
        }

        static float[] random(Random rng, int n) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (rng.nextGaussian() * 0.1);
            }
            return v;
        }

        @Override
        public void step() {
            int layers = w.length - 1;
            Parallel.parts(BATCH, parts, (p, from, to) -> {
                for (int l = 0; l < layers; l++) {
                    Dense.forward(a[l], from * w[l], weights[l], bias[l], a[l + 1], from * w[l + 1], to - from, w[l],
                            w[l + 1]);
                }
            });
            for (int l = layers - 1; l >= 0; l--) {
                int layer = l;
                Parallel.parts(BATCH, parts, (p, from, to) -> {
                    int in = w[layer], d = w[layer + 1];
                    int r0 = Parallel.start(in, p, parts), r1 = Parallel.start(in, p + 1, parts);
                    Dense.weightGradient(a[layer], g[0], grads[layer], r0, r1, BATCH, in, d, false);
                    int c0 = Parallel.start(d, p, parts), c1 = Parallel.start(d, p + 1, parts);
                    Dense.biasGradient(g[0], ones, dBias[layer], c0, c1, BATCH, d, false);
                    if (layer > 0) {
                        Dense.inputGradient(g[0], from * d, weights[layer], g[1], from * in, to - from, in, d);
                    }
                });
            }
        }
    }
}
