package dev.descent.bench;

import dev.descent.data.Features;
import dev.descent.fused.FusedBackprop;
import dev.descent.init.Initializer;
import dev.descent.layers.Dropout;
import dev.descent.layers.Layer;
import dev.descent.loss.Loss;
import dev.descent.loss.MeanSquaredError;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.train.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each of regression, weight decay and dropout costs on the fused step: one fmnist-mlp step
 * (batch 128, 784-128-10, features read from bytes, SGD), as the trainer takes it in a run of
 * steps, in float64 and float32. {@code plain} is the classifier without either regulariser;
 * {@code regression} puts mean squared error on 10 real-valued targets in place of cross-entropy;
 * {@code weightDecay} adds λθ in the update; {@code dropout} drops 20% of the hidden layer.
 * Run with {@code bench/jmh.sh RegularisationBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegularisationBenchmark {
    @Param({"plain", "regression", "weightDecay", "dropout"})
    public String variant;

    @Param({"FLOAT64", "FLOAT32"})
    public Dtype dtype;

    Matrix x = new Matrix(128, 784);
    Features pixels;
    int[] labels = new int[128], order = new int[128];
    TrainingStep.Run run;

    @Setup
    public void setup() {
        Random rng = new Random(1);
        byte[] bytes = new byte[128 * 784];
        rng.nextBytes(bytes);
        pixels = Features.ofBytes(bytes, 128, 784, 1 / 255.0);
        for (int i = 0; i < 128; i++) {
            order[i] = i;
            labels[i] = variant.equals("regression") ? i : i % 10; // regression: the rows of the targets
        }
        Network mlp = new Architecture(784, List.of(128), "relu", 10).build();
        Initializer.HE.initialize(mlp, 1);
        if (variant.equals("dropout")) {
            List<Layer> layers = new ArrayList<>(mlp.layers());
            layers.add(2, new Dropout(0.2, 1));
            mlp = new Network(784, layers);
            Dropout.train(mlp.layers(), 7);
        }
        Matrix targets = new Matrix(128, 10);
        for (int i = 0; i < targets.size(); i++) {
            targets.data()[i] = rng.nextGaussian();
        }
        Loss loss = variant.equals("regression") ? new MeanSquaredError(Reduction.MEAN, targets)
                : new SoftmaxCrossEntropy(Reduction.MEAN);
        // small, so thousands of steps leave the network much as it was
        Optimizer sgd = new GradientDescent(1e-6, variant.equals("weightDecay") ? 1e-4 : 0.0);
        run = new FusedBackprop(dtype).run(mlp, loss, sgd);
    }

    @TearDown
    public void close() {
        run.close();
    }

    @Benchmark
    public double trainStep() {
        return run.step(pixels, order, 0, x, labels).loss();
    }
}
