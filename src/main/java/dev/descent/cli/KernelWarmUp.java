package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.layers.Activation;
import dev.descent.layers.Dense;
import dev.descent.layers.Layer;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.TrainingListener;
import dev.descent.train.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Warms the training step's code while a run prepares (reads its test set, checks its data,
 * evaluates the starting loss): a second thread takes steps of the run's own kind, on a copy of its
 * network, with an optimizer of its own, on batches of the run's own training rows, and stops
 * when training starts ({@link #onStart}). The JIT then compiles the step's kernels while the run
 * would otherwise wait, instead of during the first epoch, on the cores the first epoch wants
 * (docs/performance.md, goal 3). Nothing it computes reaches the run: every object it changes is
 * its own, and it only reads the training rows.
 *
 * <p>Only for the runs that make up most of the time: classification by a network of dense and
 * activation layers with mini-batches. Anything else trains without it.
 */
final class KernelWarmUp implements TrainingListener {
    /** The most steps it takes: about a tenth of a second of a Fashion-MNIST run's steps, once compiled. */
    static final int MAX_STEPS = 400;
    /** Rows of its batches: fewer than two cores' worth ({@code Schedule.MIN_ROWS} each). */
    static final int WARM_BATCH = 32;
    /** Larger networks train without it: its copy of the network would cost memory the run may need. */
    static final int MAX_PARAMETERS = 2_000_000;
    /** {@code -Ddescent.kernelWarmUp=false} turns it off, to measure what it gains (bench/first-epoch.sh). */
    static final String PROPERTY = "descent.kernelWarmUp";

    /** For tests: let it take all its steps before training starts, so that what it changes would show. */
    static volatile boolean finishFirst;
    /** For tests: the steps the last warm-up took. */
    static volatile int lastSteps;

    private Thread thread;
    private volatile boolean stop;

    /** Starts warming for {@code setup}'s run, whose steps {@code steps} makes; a listener that does nothing when it does not apply. */
    static TrainingListener start(Setup setup, Supplier<TrainingStep> steps) {
        Network copy = setup.network().parameterCount() > MAX_PARAMETERS
                || !Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) ? null : copy(setup.network());
        if (copy == null || setup.regression() || !setup.miniBatches() || setup.data().size() < setup.batch()) {
            return new TrainingListener() {};
        }
        Dataset data = setup.data();
        // Too few rows to split across the cores: it runs on its own thread alone, beside the one
        // preparing the run, instead of taking both cores from it. The kernels are the same.
        int batch = Math.min(setup.batch(), WARM_BATCH);
        KernelWarmUp w = new KernelWarmUp();
        w.thread = new Thread(() -> w.run(steps.get(), copy, setup, data, batch), "descent-warm-up");
        w.thread.setDaemon(true);
        w.thread.start();
        return w;
    }

    private void run(TrainingStep step, Network network, Setup setup, Dataset data, int batch) {
        Optimizer optimizer = Optimizers.create(setup.optimizerSettings());
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(setup.reduction());
        int[] order = Dataset.shuffled(data.size(), new Random(1));
        Matrix x = new Matrix(batch, data.featureCount());
        int[] y = new int[batch];
        int batches = data.size() / batch;
        try (TrainingStep.Run run = step.run(network, loss, optimizer)) {
            int s = 0;
            for (; s < MAX_STEPS && !stop; s++) {
                int from = (s % batches) * batch;
                for (int i = 0; i < batch; i++) {
                    y[i] = data.labels()[order[from + i]];
                }
                run.step(data.features(), order, from, x, y);
            }
            lastSteps = s;
        } catch (RuntimeException e) {
            // Its own copy failed (a loss that overflowed on its own steps, say): the run is untouched,
            // and trains as it would have; its own steps report what concerns the user.
        }
    }

    @Override
    public void onStart(Network network, int epochs, History.Row initial) {
        stop = !finishFirst;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A network of the same dense and activation layers with the same values, or null for any other layer. */
    private static Network copy(Network n) {
        List<Layer> layers = new ArrayList<>();
        for (Layer l : n.layers()) {
            if (l instanceof Dense d) {
                layers.add(new Dense(d.weights().value().copy(), d.bias().value().copy()));
            } else if (l instanceof Activation) {
                layers.add(Activation.of(l.kind()));
            } else {
                return null;
            }
        }
        return new Network(n.inputSize(), layers);
    }
}
