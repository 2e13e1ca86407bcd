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
import dev.descent.optim.Optimizers;
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
 * Recipes fmnist-mlp and fmnist-wide (plain SGD, lr 0.1) and fmnist-adam (Adam, lr 1e-3): PyTorch's
 * default initialisation (as the peers), batch 128, reshuffled every epoch.
 * Prints training samples per second over epochs 2..N (data loading, the first epoch and the test
 * evaluation excluded), GFLOP/s at the recipe's FLOP count, and the test accuracy; then the
 * samples per second over all epochs, the first included, and the first epoch's speed as a share
 * of the later epochs'.
 * Run: {@code bench/fmnist.sh}, or {@code java -cp ... dev.descent.bench.Fmnist [hidden] [epochs]
 * [float64|float32|layers] [sgd|adam] [lr] [batch] [repeat]}, where {@code layers} is float64 through
 * the layers' own forward and backward ({@link Backpropagation}, the reference) instead of the fused
 * step, and {@code repeat} trains on the training set repeated that many times (bench/scaling.sh).
 */
public final class Fmnist {
    private Fmnist() {}

    public static void main(String[] args) throws Exception {
        List<Integer> hidden = Arrays.stream((args.length > 0 ? args[0] : "128").split(",")).map(Integer::valueOf).toList();
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String kind = args.length > 2 ? args[2] : "float64";
        String optimizer = args.length > 3 ? args[3] : "sgd";
        double lr = args.length > 4 ? Double.parseDouble(args[4]) : optimizer.equals("adam") ? 1e-3 : 0.1;
        int batch = args.length > 5 ? Integer.parseInt(args[5]) : 128;
        int repeat = args.length > 6 ? Integer.parseInt(args[6]) : 1;
        TrainingStep gradients = kind.equals("layers") ? TrainingStep.of(new Backpropagation()) : new FusedBackprop(Dtype.of(kind));
        Path dir = Path.of(System.getenv().getOrDefault("FMNIST_DIR", "/usr/share/datasets/fashion-mnist"));
        Dataset train = repeated(IdxDataset.training(dir), repeat), test = IdxDataset.test(dir);
        Network n = new Architecture(784, hidden, "relu", 10).build();
        Initializer.PYTORCH.initialize(n, 0);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        History h = new Trainer(gradients, loss, Optimizers.create(optimizer, lr), epochs).batchSize(batch).shuffleSeed(0)
                .fit(n, train);
        double seconds = h.rows().stream().filter(r -> r.epoch() >= 2).mapToDouble(History.Row::seconds).sum();
        double perSecond = (epochs - 1) * (double) train.size() / seconds;
        long flops = flopsPerSample(784, hidden, 10);
        double accuracy = Evaluation.of(n, loss, test).accuracy();
        double all = h.rows().stream().filter(r -> r.epoch() >= 1).mapToDouble(History.Row::seconds).sum();
        double first = h.rows().get(1).seconds();
        System.out.printf(Locale.ROOT, "descent %s %s 784-%s-10: %,.0f samples/s, %.1f GFLOP/s, test accuracy %.2f%%; "
                        + "all epochs %,.0f samples/s, epoch 1 at %.2f of the later epochs' speed%n",
                kind, optimizer, hidden.stream().map(String::valueOf).reduce((a, b) -> a + "-" + b).orElse(""),
                perSecond, perSecond * flops / 1e9, 100 * accuracy, epochs * (double) train.size() / all,
                (seconds / (epochs - 1)) / first);
    }

    /** {@code d}'s rows {@code times} times over, as bytes (as the IDX set keeps them), labels alike. */
    static Dataset repeated(Dataset d, int times) {
        if (times == 1) {
            return d;
        }
        int n = d.size(), c = d.featureCount();
        byte[] pixels = new byte[n * times * c];
        int[] labels = new int[n * times];
        dev.descent.tensor.Matrix row = new dev.descent.tensor.Matrix(1, c);
        for (int r = 0; r < n; r++) {
            d.features().gather(new int[] {r}, 0, 1, row);
            for (int t = 0; t < times; t++) {
                for (int j = 0; j < c; j++) {
                    pixels[(t * n + r) * c + j] = (byte) Math.round(row.get(0, j) * 255);
                }
                labels[t * n + r] = d.labels()[r];
            }
        }
        return new Dataset(dev.descent.data.Features.ofBytes(pixels, n * times, c, 1.0 / 255), labels, d.classNames(),
                d.description() + " x" + times);
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
