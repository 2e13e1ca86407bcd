package dev.descent.bench;

import dev.descent.data.Dataset;
import dev.descent.data.IdxDataset;
import dev.descent.fused.FusedBackprop;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.GradientSource;
import dev.descent.init.Initializer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.tensor.Dtype;
import dev.descent.train.Evaluation;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingStep;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Recipes fmnist-mlp and fmnist-wide: PyTorch's default initialisation (as the peers), plain SGD, lr 0.1,
 * batch 128, reshuffled every epoch.
 * Prints training samples per second over epochs 2..N (data loading, the first epoch and the test
 * evaluation excluded), GFLOP/s at the recipe's FLOP count, and the test accuracy.
 * Run: {@code bench/fmnist.sh}, or {@code java -cp ... dev.descent.bench.Fmnist [hidden] [epochs] [float64|float32|layers]},
 * where {@code layers} is float64 through the layers' own forward and backward ({@link Backpropagation},
 * the reference) instead of the fused step.
 */
public final class Fmnist {
    private Fmnist() {}

    public static void main(String[] args) throws Exception {
        List<Integer> hidden = Arrays.stream((args.length > 0 ? args[0] : "128").split(",")).map(Integer::valueOf).toList();
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String kind = args.length > 2 ? args[2] : "float64";
        TrainingStep gradients = kind.equals("layers") ? TrainingStep.of(new Backpropagation()) : new FusedBackprop(Dtype.of(kind));
        Path dir = Path.of(System.getenv().getOrDefault("FMNIST_DIR", "/usr/share/datasets/fashion-mnist"));
        Dataset train = IdxDataset.training(dir), test = IdxDataset.test(dir);
        Network n = new Architecture(784, hidden, "relu", 10).build();
        Initializer.PYTORCH.initialize(n, 0);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        History h = new Trainer(gradients, loss, new GradientDescent(0.1), epochs).batchSize(128).shuffleSeed(0)
                .fit(n, train);
        double seconds = h.rows().stream().filter(r -> r.epoch() >= 2).mapToDouble(History.Row::seconds).sum();
        double perSecond = (epochs - 1) * (double) train.size() / seconds;
        long flops = flopsPerSample(784, hidden, 10);
        double accuracy = Evaluation.of(n, loss, test).accuracy();
        System.out.printf(Locale.ROOT, "descent %s 784-%s-10: %,.0f samples/s, %.1f GFLOP/s, test accuracy %.2f%%%n",
                kind, hidden.stream().map(String::valueOf).reduce((a, b) -> a + "-" + b).orElse(""), perSecond,
                perSecond * flops / 1e9, 100 * accuracy);
    }

    /** 2 FLOP per multiply-add: forward and weight gradient of every layer, input gradient of all but the first. */
    static long flopsPerSample(int in, List<Integer> hidden, int out) {
        long flops = 0;
        int prev = in;
        boolean first = true;
        for (int width : concat(hidden, out)) {
            long macs = (long) prev * width;
            flops += 2 * macs * (first ? 2 : 3);
            first = false;
            prev = width;
        }
        return flops;
    }

    private static List<Integer> concat(List<Integer> hidden, int out) {
        List<Integer> all = new java.util.ArrayList<>(hidden);
        all.add(out);
        return all;
    }
}
