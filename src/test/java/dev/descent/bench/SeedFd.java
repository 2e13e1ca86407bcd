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
import dev.descent.train.TrainingStep;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Recipe seed-fd: 100 epochs of finite-difference gradient descent on the seed example (5-20-10
 * ReLU, summed loss, lr 0.05, h 1e-7), timed in-process. The first run (a cold JVM) is reported
 * apart; then runs repeat, untimed, for {@link #WARM_UP_SECONDS} while the JIT compiles, and the
 * figure is the median of the timed runs after that. Prints one line per engine.
 * Run: {@code bench/seed-fd.sh}, or {@code java -cp ... dev.descent.bench.SeedFd [runs]}.
 */
public final class SeedFd {
    private SeedFd() {}

    /** How long runs repeat, untimed, before the timed ones: the JIT's warm-up, as JMH would do. */
    static final double WARM_UP_SECONDS = 2.0;

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        Dataset data = SeedExample.dataset();
        for (String engine : List.of("plain", "cached")) {
            double[] seconds = new double[runs];
            double first = 0, start = 0, end = 0;
            long warmUntil = 0;
            for (int r = 0; r <= runs; r++) {
                Network n = new Architecture(5, List.of(20), "relu", 10).build();
                Initializer.UNIFORM01.initialize(n, 0);
                GradientSource g = engine.equals("plain") ? new CentralDifference(1e-7) : new FastCentralDifference(1e-7);
                long t0 = System.nanoTime();
                History h = new Trainer(TrainingStep.of(g), new SoftmaxCrossEntropy(Reduction.SUM), new GradientDescent(0.05), 100)
                        .fit(n, data);
                double s = (System.nanoTime() - t0) / 1e9;
                if (r == 0) {
                    first = s;
                    warmUntil = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
                } else if (System.nanoTime() < warmUntil) {
                    r--; // still warming up: run again, untimed
                } else {
                    seconds[r - 1] = s;
                }
                start = h.first().loss();
                end = h.last().loss();
            }
            Arrays.sort(seconds);
            System.out.printf(Locale.ROOT, "seed-fd descent %s: 100 epochs in %.4f s (median of %d after warm-up; "
                    + "first run of the JVM %.4f s), "
                    + "loss %.6f -> %.6f%n", engine, seconds[runs / 2], runs, first, start, end);
        }
    }
}
