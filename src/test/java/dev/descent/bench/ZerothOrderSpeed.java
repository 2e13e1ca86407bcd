package dev.descent.bench;

import dev.descent.fused.FusedBackprop;
import dev.descent.fused.FusedSpsa;
import dev.descent.init.Initializer;
import dev.descent.loss.Loss;
import dev.descent.loss.Objective;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What a zeroth-order step costs against a forward pass and a backprop step, in float32 on the
 * fused schedule, one batch held in memory: each of the three timed in turn for {@code ROUNDS}
 * rounds of {@code reps} calls (the machine is shared: compare within a round, take medians).
 * Prints the medians in µs and the step's cost in forward passes.
 * Run: {@code java -cp ... dev.descent.bench.ZerothOrderSpeed WIDTHS BATCH [directions] [rounds]}.
 */
public final class ZerothOrderSpeed {
    private ZerothOrderSpeed() {}

    public static void main(String[] args) {
        List<Integer> widths = Arrays.stream(args[0].split(",")).map(Integer::valueOf).toList();
        int batch = Integer.parseInt(args[1]);
        int directions = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        Random rng = new Random(1);
        Matrix x = new Matrix(batch, widths.get(0));
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = rng.nextDouble();
        }
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(widths.get(widths.size() - 1));
        }
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        Network network = new Architecture(widths.get(0), widths.subList(1, widths.size() - 1), "relu",
                widths.get(widths.size() - 1)).build();
        Initializer.HE.initialize(network, 1);
        FusedSpsa spsa = new FusedSpsa(Dtype.FLOAT32, 1e-3, directions, Objective.LOSS);
        FusedBackprop backprop = new FusedBackprop(Dtype.FLOAT32);
        GradientDescent sgd = new GradientDescent(1e-7);
        long flops = 2L * batch * network.parameterCount();
        int reps = (int) Math.max(5, Math.min(2000, 4e9 / flops));
        List<Double> forward = new ArrayList<>(), step = new ArrayList<>(), back = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) { // round 0 warms up
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                spsa.loss(network, loss, x, y);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                spsa.key(i);
                spsa.step(network, loss, x, y, sgd);
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                backprop.step(network, loss, x, y, sgd);
            }
            long t3 = System.nanoTime();
            if (round > 0) {
                forward.add((t1 - t0) / 1e3 / reps);
                step.add((t2 - t1) / 1e3 / reps);
                back.add((t3 - t2) / 1e3 / reps);
            }
        }
        double f = median(forward), s = median(step), b = median(back);
        System.out.printf(Locale.ROOT, "%s batch %d, %d direction%s (%,d parameters; medians of %d rounds of %d): forward "
                + "%.0f us, spsa step %.0f us = %.2f forward passes, backprop step %.0f us = %.2f forward passes%n",
                args[0], batch, directions, directions == 1 ? "" : "s", network.parameterCount(), rounds, reps, f, s, s / f,
                b, b / f);
        System.exit(0);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
