package dev.descent.bench;

import dev.descent.data.Dataset;
import dev.descent.data.IdxDataset;
import dev.descent.data.SeedExample;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Dtype;
import dev.descent.train.Checkpoints;
import dev.descent.train.Evaluation;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingListener;
import dev.descent.train.TrainingState;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loss against steps and against seconds for backprop, central differences over every parameter
 * and SPSA with 1, 4 and 16 directions, each from the same start by the same recipe but its
 * gradient (and rate), on the seed example or Fashion-MNIST (784-128-10, batch 128, float32 for
 * backprop and SPSA, float64 for central differences, which need it). Seconds count the steps
 * alone: the loss is measured between them (the seed example: after every step on its 10 samples;
 * Fashion-MNIST: every {@code every} steps, or at the end of each epoch, on the first 10,000
 * training images) off the clock.
 * Writes {@code method,step,seconds,loss,accuracy} rows and prints each method's last row (and
 * Fashion-MNIST's test accuracy). Run: {@code bench/zeroth-order.sh curves}, or
 * {@code java -cp ... dev.descent.bench.ZerothOrderCurves seed|fmnist OUT.csv [seed [method]]}, the
 * last running only the methods whose label starts with it.
 */
public final class ZerothOrderCurves {
    private ZerothOrderCurves() {}

    /**
     * One curve: a label, the recipe, its steps, and how often it is measured; at the end of each
     * epoch only when {@code every} is 0, for backprop in float32, whose θ stays in float during an
     * epoch and reaches the network when the epoch's run of steps closes.
     */
    record Method(String label, Recipe recipe, int steps, int every) {}

    static List<Method> methods(String problem, long seed) {
        List<Method> m = new ArrayList<>();
        if (problem.equals("seed")) {
            Recipe r = Recipe.seedExample().withSeed(seed).withEpochs(2000);
            m.add(new Method("backprop", r, 2000, 1));
            m.add(new Method("central differences", r.withGradient("numerical"), 2000, 1));
            m.add(new Method("spsa 1 direction", r.withGradient("spsa").withLearningRate(0.002), 2000, 1));
            m.add(new Method("spsa 4 directions", r.withGradient("spsa").withDirections(4).withLearningRate(0.008), 2000,
                    1));
            m.add(new Method("spsa 16 directions", r.withGradient("spsa").withDirections(16).withLearningRate(0.02),
                    2000, 1));
        } else {
            Recipe r = Recipe.forData().withSeed(seed).withEpochs(20);
            m.add(new Method("backprop", r, 9380, 0));
            m.add(new Method("central differences", r.withGradient("numerical").withDtype(Dtype.FLOAT64),
                    60, 5));
            m.add(new Method("spsa 1 direction", r.withGradient("spsa").withLearningRate(0.001), 9380, 94));
            m.add(new Method("spsa 4 directions", r.withGradient("spsa").withDirections(4).withLearningRate(0.002), 9380,
                    94));
            m.add(new Method("spsa 16 directions", r.withGradient("spsa").withDirections(16).withLearningRate(0.004),
                    9380, 94));
        }
        return m;
    }

    public static void main(String[] args) throws Exception {
        String problem = args[0];
        Path out = Path.of(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        Path dir = Path.of(System.getenv().getOrDefault("FMNIST_DIR", "/usr/share/datasets/fashion-mnist"));
        Dataset train = problem.equals("seed") ? SeedExample.dataset() : IdxDataset.training(dir);
        Dataset test = problem.equals("seed") ? null : IdxDataset.test(dir);
        Dataset watched = problem.equals("seed") ? train : train.head(10_000).inMemory();
        List<String> rows = new ArrayList<>(List.of("method,step,seconds,loss,accuracy"));
        String only = args.length > 3 ? args[3] : "";
        for (Method m : methods(problem, seed)) {
            if (m.label().startsWith(only)) {
                rows.addAll(run(m, train, watched, test));
            }
        }
        Files.write(out, rows);
    }

    /** One method's curve, as CSV rows. */
    static List<String> run(Method m, Dataset train, Dataset watched, Dataset test) {
        Network network = m.recipe().network(train);
        List<String> rows = new ArrayList<>();
        Curve curve = new Curve(m, network, watched, rows);
        Trainer trainer = m.recipe().trainer(train).listener(curve).checkpoints(curve);
        curve.measure(0);
        trainer.fit(network, train);
        String last = rows.get(rows.size() - 1);
        String testAccuracy = test == null ? "" : String.format(Locale.ROOT, ", test accuracy %.2f%%",
                100 * Evaluation.of(network, m.recipe().loss(test), test).accuracy());
        System.out.printf(Locale.ROOT, "%-22s %s%s%n", m.label(), last, testAccuracy);
        return rows;
    }

    /** Measures the loss every {@code every} steps off the clock, and stops the run at its steps. */
    static final class Curve implements TrainingListener, Checkpoints {
        private final Method method;
        private final Network network;
        private final Dataset watched;
        private final List<String> rows;
        private int steps;
        private long clock; // nanoseconds of steps so far
        private long resumed = System.nanoTime();

        Curve(Method method, Network network, Dataset watched, List<String> rows) {
            this.method = method;
            this.network = network;
            this.watched = watched;
            this.rows = rows;
        }

        @Override
        public void onStart(Network n, int epochs, History.Row initial) {
            resumed = System.nanoTime();
        }

        @Override
        public void onBatch(int epoch, int batch, int batches, int samples, double runningLoss) {
            step();
        }

        /** Full batch: one step an epoch, and no onBatch. */
        @Override
        public void onEpoch(History.Row row) {
            if (watched.size() <= method.recipe().batch()) {
                step();
            } else if (method.every() == 0) {
                clock += System.nanoTime() - resumed;
                measure(steps);
                resumed = System.nanoTime();
            }
        }

        private void step() {
            clock += System.nanoTime() - resumed;
            steps++;
            if (method.every() > 0 && (steps % method.every() == 0 || steps == method.steps())) {
                measure(steps);
            }
            resumed = System.nanoTime();
        }

        void measure(int step) {
            Evaluation e = Evaluation.of(network, method.recipe().loss(watched), watched);
            rows.add(String.format(Locale.ROOT, "%s,%d,%.6f,%.8g,%.6f", method.label(), step, clock / 1e9, e.loss(),
                    e.accuracy()));
        }

        @Override
        public int every() {
            return Integer.MAX_VALUE;
        }

        @Override
        public void save(TrainingState state) {
            // nothing is kept: the run only stops
        }

        @Override
        public boolean stopRequested() {
            return steps >= method.steps();
        }
    }
}
