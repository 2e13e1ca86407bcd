package dev.descent.bench;

import dev.descent.fused.FusedBackprop;
import dev.descent.fused.FusedSpsa;
import dev.descent.gradient.FastCentralDifference;
import dev.descent.init.Initializer;
import dev.descent.loss.Loss;
import dev.descent.loss.Objective;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.train.TrainingStep;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The memory a way of training holds, measured: the Java heap in use after a full collection with
 * everything the run holds still reachable (the network, the step and its buffers, the optimizer),
 * less the heap before the network was built (the JVM and one batch of data). One way per process,
 * so that nothing another way allocated is counted: {@code bench/zeroth-order.sh memory} runs each
 * and also takes the process's peak resident memory and the smallest -Xmx it runs in.
 * <ul>
 *   <li>{@code forward64}: one forward pass on one batch, the layers' own (the reference schedule);</li>
 *   <li>{@code forward32}: one forward pass in float32 on the fused schedule ({@link FusedSpsa#loss});</li>
 *   <li>{@code spsa32}, {@code spsa64}: steps of {@code --gradient spsa} (sgd);</li>
 *   <li>{@code backprop32}, {@code backprop64}: steps of backprop on the fused schedule (sgd);</li>
 *   <li>{@code numerical}: steps of central differences over every parameter (small networks only).</li>
 * </ul>
 * Run: {@code java -XX:+UseSerialGC -cp ... dev.descent.bench.ZerothOrderMemory MODE WIDTHS BATCH STEPS},
 * WIDTHS such as {@code 784,4096,4096,10}.
 */
public final class ZerothOrderMemory {
    private ZerothOrderMemory() {}

    public static void main(String[] args) {
        String mode = args[0];
        List<Integer> widths = Arrays.stream(args[1].split(",")).map(Integer::valueOf).toList();
        int batch = Integer.parseInt(args[2]), steps = Integer.parseInt(args[3]);
        // The same way on a network of a few units first: the classes it loads, and what they hold
        // (the BLAS binding, the workers), are the JVM's, not the run's.
        measure(mode, List.of(4, 3, 2), 2, 1, false);
        measure(mode, widths, batch, steps, true);
        System.exit(0);
    }

    private static void measure(String mode, List<Integer> widths, int batch, int steps, boolean print) {
        Random rng = new Random(1);
        Matrix x = new Matrix(batch, widths.get(0));
        int[] y = new int[batch];
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = rng.nextDouble();
        }
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(widths.get(widths.size() - 1));
        }
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        long before = heapAfterCollection();

        Network network = new Architecture(widths.get(0), widths.subList(1, widths.size() - 1), "relu",
                widths.get(widths.size() - 1)).build();
        Initializer.HE.initialize(network, 1);
        Optimizer sgd = new GradientDescent(1e-4);
        Object step;
        long start = System.nanoTime();
        switch (mode) {
            case "forward64" -> {
                step = network.forward(x);
                steps = 1;
            }
            case "forward32" -> {
                FusedSpsa forward = new FusedSpsa(Dtype.FLOAT32, 1e-3, 1, Objective.LOSS);
                forward.loss(network, loss, x, y);
                step = forward;
                steps = 1;
            }
            case "spsa32", "spsa64" -> step = run(new FusedSpsa(mode.endsWith("32") ? Dtype.FLOAT32 : Dtype.FLOAT64,
                    1e-3, 1, Objective.LOSS), network, loss, x, y, sgd, steps);
            case "backprop32", "backprop64" -> step = run(new FusedBackprop(mode.endsWith("32") ? Dtype.FLOAT32
                    : Dtype.FLOAT64), network, loss, x, y, sgd, steps);
            case "numerical" -> step = run(TrainingStep.of(new FastCentralDifference()), network, loss, x, y, sgd, steps);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        double seconds = (System.nanoTime() - start) / 1e9 / steps;
        long held = heapAfterCollection() - before;
        long theta = 8L * network.parameterCount();
        if (print) {
            System.out.printf(Locale.ROOT, "%-10s %s batch %d: %,d parameters, held %.1f MiB (%.2f x θ in float64), "
                    + "%.3f s a step%n", mode, widths.stream().map(String::valueOf).reduce((a, b) -> a + "," + b)
                    .orElse(""), batch, network.parameterCount(), held / 1048576.0, (double) held / theta, seconds);
        }
        Reference.reachabilityFence(step);
        Reference.reachabilityFence(network);
        Reference.reachabilityFence(sgd);
        Reference.reachabilityFence(x);
    }

    private static Object run(TrainingStep step, Network network, Loss loss, Matrix x, int[] y, Optimizer optimizer,
            int steps) {
        for (int s = 0; s < steps; s++) {
            step.key(s);
            step.step(network, loss, x, y, optimizer);
        }
        return step;
    }

    /** Heap in use after two full collections. */
    static long heapAfterCollection() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
