package dev.descent.bench;

import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.fused.FusedBackprop;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.CentralDifference;
import dev.descent.gradient.FastCentralDifference;
import dev.descent.init.Initializer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import dev.descent.train.TrainingStep;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The kernels that decide Descent's speed, at the sizes of the benchmark recipes: the products of
 * one fmnist-mlp step (batch 128, 784-128-10), a whole training step by the layers' own backprop
 * and by the fused step in float64 and float32, and one epoch's gradient of seed-fd by the plain
 * and the cached central differences. Run with {@code bench/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KernelsBenchmark {
    Matrix x, w1, h, dH, dW1;
    Network mlp, seed;
    int[] labels;
    SoftmaxCrossEntropy mean = new SoftmaxCrossEntropy(Reduction.MEAN), sum = new SoftmaxCrossEntropy(Reduction.SUM);
    Dataset seedData = SeedExample.dataset();
    FusedBackprop fused64 = new FusedBackprop(Dtype.FLOAT64), fused32 = new FusedBackprop(Dtype.FLOAT32);
    GradientDescent sgd = new GradientDescent(1e-6); // small, so thousands of steps leave the network as it was
    Matrix seedX = seedData.featureMatrix();
    dev.descent.data.Features pixels; // 128 rows of 784 random bytes, read as byte / 255
    TrainingStep.Run run64, run32;
    int[] order = new int[128];

    @Setup
    public void setup() {
        Random rng = new Random(1);
        x = fill(new Matrix(128, 784), rng);
        w1 = fill(new Matrix(784, 128), rng);
        h = new Matrix(128, 128);
        dH = fill(new Matrix(128, 128), rng);
        dW1 = new Matrix(784, 128);
        mlp = new Architecture(784, List.of(128), "relu", 10).build();
        Initializer.HE.initialize(mlp, 1);
        labels = new int[128];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        byte[] bytes = new byte[128 * 784];
        rng.nextBytes(bytes);
        pixels = dev.descent.data.Features.ofBytes(bytes, 128, 784, 1 / 255.0);
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        run64 = fused64.run(mlp, mean, sgd);
        run32 = fused32.run(mlp, mean, sgd);
        seed = new Architecture(5, List.of(20), "relu", 10).build();
        Initializer.UNIFORM01.initialize(seed, 0);
    }

    @TearDown
    public void closeRuns() {
        run64.close();
        run32.close();
    }

    private static Matrix fill(Matrix m, Random rng) {
        for (int i = 0; i < m.size(); i++) {
            m.data()[i] = rng.nextDouble();
        }
        return m;
    }

    /** Forward product of the first layer: (128, 784) · (784, 128), 12.8 MFLOP. */
    @Benchmark
    public Matrix matmulForward() {
        MatrixOps.matmul(x, w1, h);
        return h;
    }

    /** Weight gradient of the first layer: dW += xᵀ · dH, 12.8 MFLOP. */
    @Benchmark
    public Matrix matmulWeightGradient() {
        MatrixOps.addMatmulTransA(x, dH, dW1);
        return dW1;
    }

    /** One backprop step of fmnist-mlp on a batch of 128 (forward, loss, backward), 52 MFLOP. */
    @Benchmark
    public double backpropStep() {
        return new Backpropagation().computeGradients(mlp, mean, x, labels).loss();
    }

    /** One training step as the trainer takes it, the layers' way: backprop, then the SGD update. */
    @Benchmark
    public double trainStepLayers() {
        return TrainingStep.of(new Backpropagation()).step(mlp, mean, x, labels, sgd).loss();
    }

    /**
     * The same step fused, split across the cores, in float64, as the trainer takes it: each core
     * reads its rows from a data set of bytes (pixels), and each step continues from the last in
     * one run of steps (closed after the measurement; its write-back is once an epoch).
     */
    @Benchmark
    public double trainStepFused64() {
        return run64.step(pixels, order, 0, x, labels).loss();
    }

    /** The same in float32. */
    @Benchmark
    public double trainStepFused32() {
        return run32.step(pixels, order, 0, x, labels).loss();
    }

    /** The gradient of one seed-fd epoch by the plain method: 660 forward passes. */
    @Benchmark
    public double seedFdPlain() {
        return new CentralDifference(1e-7).computeGradients(seed, sum, seedX, seedData.labels()).loss();
    }

    /** The same gradient from cached activations. */
    @Benchmark
    public double seedFdCached() {
        return new FastCentralDifference(1e-7).computeGradients(seed, sum, seedX, seedData.labels()).loss();
    }
}
