package dev.descent.bench;

import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.gradient.CentralDifference;
import dev.descent.gradient.FastCentralDifference;
import dev.descent.gradient.GradientSource;
import dev.descent.init.Initializer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Recipe seed-fd: 100 epochs of finite-difference gradient descent on the seed example (5-20-10
 * ReLU, summed loss, lr 0.05, h 1e-7), timed in-process. The first run (JVM warm-up) is reported
 * apart; the figure is the median of the runs after it. Prints one line per engine.
 * Run: {@code bench/seed-fd.sh}, or {@code java -cp ... dev.descent.bench.SeedFd [runs]}.
 */
public final class SeedFd {
    private SeedFd() {}

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        Dataset data = SeedExample.dataset();
        for (String engine : List.of("plain", "cached")) {
            double[] seconds = new double[runs];
            double first = 0, start = 0, end = 0;
            for (int r = 0; r <= runs; r++) {
                Network n = new Architecture(5, List.of(20), "relu", 10).build();
                Initializer.UNIFORM01.initialize(n, 0);
                GradientSource g = engine.equals("plain") ? new CentralDifference(1e-7) : new FastCentralDifference(1e-7);
                long t0 = System.nanoTime();
                History h = new Trainer(g, new SoftmaxCrossEntropy(Reduction.SUM), new GradientDescent(0.05), 100)
                        .fit(n, data);
                double s = (System.nanoTime() - t0) / 1e9;
                if (r == 0) {
                    first = s;
                } else {
                    seconds[r - 1] = s;
                }
                start = h.first().loss();
                end = h.last().loss();
            }
            Arrays.sort(seconds);
            System.out.printf(Locale.ROOT, "seed-fd descent %s: 100 epochs in %.4f s (median of %d; first run %.4f s), "
                    + "loss %.6f -> %.6f%n", engine, seconds[runs / 2], runs, first, start, end);
        }
    }
}
