package dev.descent.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.GradientSource;
import dev.descent.init.Initializer;
import dev.descent.layers.Dense;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.train.TrainingStep;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FusedBackpropTest {
    private static Network network(int in, List<Integer> hidden, String activation, int out, long seed) {
        Network n = new Architecture(in, hidden, activation, out).build();
        Initializer.PYTORCH.initialize(n, seed);
        return n;
    }

    private static int[] labels(Random rng, int n, int k) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(k);
        }
        return y;
    }

    /** 0, 1, ..., n − 1: the rows of a data set in order. */
    private static int[] inOrder(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    private static List<Matrix> gradients(GradientSource source, Network n, Loss loss, Matrix x, int[] y,
                                          double[] lossOut) {
        GradientSource.Result r = source.computeGradients(n, loss, x, y);
        lossOut[0] = r.loss();
        lossOut[1] = r.output().get(x.rows() - 1, 0);
        return n.parameters().stream().map(p -> p.grad().copy()).toList();
    }

    private static double worst(List<Matrix> a, List<Matrix> b) {
        return Checks.worstRelativeDifference(a, b);
    }

    /**
     * The fused step against the layers' own backprop. Batches of 1 and 31 run in one block, 64
     * and over in one block per core; 130 leaves blocks of unequal size; 21,000 rows of 50 are
     * over {@link Schedule#COPIED_INPUT}, so the cores share one copy of the input. float64 agrees
     * to rounding, float32 to float32's rounding.
     */
    @ParameterizedTest
    @CsvSource({
        "relu, 1, MEAN", "relu, 31, SUM", "relu, 64, MEAN", "relu, 130, MEAN", "relu, 21000, MEAN",
        "sigmoid, 130, SUM", "tanh, 97, MEAN", "tanh, 200, SUM"})
    void givesTheReferenceGradients(String activation, int batch, Reduction reduction) {
        Random rng = new Random(batch);
        Matrix x = Checks.random(rng, batch, 50);
        int[] y = labels(rng, batch, 7);
        Loss loss = new SoftmaxCrossEntropy(reduction);
        Network n = network(50, List.of(40, 30), activation, 7, batch);
        double[] ref = new double[2], f64 = new double[2], f32 = new double[2];
        List<Matrix> expected = gradients(new Backpropagation(), n, loss, x, y, ref);
        List<Matrix> viaF64 = gradients(new FusedBackprop(Dtype.FLOAT64), n, loss, x, y, f64);
        List<Matrix> viaF32 = gradients(new FusedBackprop(Dtype.FLOAT32), n, loss, x, y, f32);

        assertTrue(worst(expected, viaF64) < 1e-12, "float64: " + worst(expected, viaF64));
        assertEquals(ref[0], f64[0], 1e-12 * Math.abs(ref[0]));
        assertEquals(ref[1], f64[1], 1e-12 * Math.max(1, Math.abs(ref[1])));
        double e32 = worst(expected, viaF32);
        assertTrue(e32 < 1e-4 && e32 > 0, "float32 should differ by float32 rounding, not more and not zero: " + e32);
        assertEquals(ref[0], f32[0], 1e-5 * Math.abs(ref[0]));
    }

    /**
     * One backprop, two schedules: in one block the fused step runs the very kernels of the
     * layers' own backprop on the same rows, so float64 agrees to the last bit.
     */
    @Test
    void inOneBlockFloat64IsTheReferenceBitForBit() {
        Random rng = new Random(5);
        Matrix x = Checks.random(rng, 20, 12);
        int[] y = labels(rng, 20, 4);
        Loss loss = new SoftmaxCrossEntropy(Reduction.SUM);
        Network n = network(12, List.of(9), "relu", 4, 5);
        double[] a = new double[2], b = new double[2];
        List<Matrix> expected = gradients(new Backpropagation(), n, loss, x, y, a);
        List<Matrix> fused = gradients(new FusedBackprop(Dtype.FLOAT64), n, loss, x, y, b);
        for (int t = 0; t < expected.size(); t++) {
            assertArrayEquals(expected.get(t).data(), fused.get(t).data(), "tensor " + t);
        }
        assertEquals(a[0], b[0]);
        assertEquals(a[1], b[1]);
    }

    /**
     * Fusing the optimizer's update into the summing of the gradients changes nothing: in float64
     * it is the gradients, then the optimizer's step; in float32, θ is kept in float and updated
     * by the optimizer's float32 update, so the reference is that update on the summed gradient.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT64, sgd", "FLOAT64, adam", "FLOAT32, sgd", "FLOAT32, momentum", "FLOAT32, adam"})
    void aFusedUpdateIsTheGradientsThenTheStep(Dtype dtype, String optimizer) {
        Random rng = new Random(9);
        Matrix x = Checks.random(rng, 100, 30);
        int[] y = labels(rng, 100, 5);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        Network a = network(30, List.of(20), "relu", 5, 9), b = network(30, List.of(20), "relu", 5, 9);
        FusedBackprop fa = new FusedBackprop(dtype), fb = new FusedBackprop(dtype);
        dev.descent.optim.Optimizer oa = dev.descent.optim.Optimizers.create(optimizer, 0.05);
        dev.descent.optim.Optimizer ob = dev.descent.optim.Optimizers.create(optimizer, 0.05);
        for (int step = 0; step < 3; step++) {
            double la = fa.step(a, loss, x, y, oa).loss();
            double lb = fb.computeGradients(b, loss, x, y).loss();
            if (dtype == Dtype.FLOAT64) {
                ob.step(b.parameters());
            } else {
                floatStep(ob, b);
            }
            assertEquals(la, lb, "loss at step " + step);
        }
        for (int t = 0; t < a.parameters().size(); t++) {
            assertArrayEquals(b.parameters().get(t).value().data(), a.parameters().get(t).value().data(), "tensor " + t);
        }
    }

    /**
     * An optimizer without a float32 update (one of a user's own, say) keeps θ in double in
     * float32 too: the fused step is then the gradients, then the optimizer's step in double.
     */
    @Test
    void anOptimizerWithoutAFloatUpdateKeepsThetaInDouble() {
        Random rng = new Random(10);
        Matrix x = Checks.random(rng, 100, 30);
        int[] y = labels(rng, 100, 5);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        Network a = network(30, List.of(20), "relu", 5, 10), b = network(30, List.of(20), "relu", 5, 10);
        FusedBackprop fa = new FusedBackprop(Dtype.FLOAT32), fb = new FusedBackprop(Dtype.FLOAT32);
        dev.descent.optim.Optimizer own = new dev.descent.optim.Optimizer() {
            final dev.descent.optim.GradientDescent sgd = new dev.descent.optim.GradientDescent(0.05);

            @Override
            public void update(int tensor, double[] theta, int from, int to, double[] g, int gFrom) {
                sgd.update(tensor, theta, from, to, g, gFrom);
            }

            @Override
            public String describe() {
                return "sgd without a float32 update";
            }
        };
        boolean thetaLeftFloat = true;
        for (int step = 0; step < 3; step++) {
            double la = fa.step(a, loss, x, y, own).loss();
            double lb = fb.computeGradients(b, loss, x, y).loss();
            own.step(b.parameters());
            assertEquals(lb, la, "loss at step " + step);
        }
        for (int t = 0; t < a.parameters().size(); t++) {
            double[] v = a.parameters().get(t).value().data();
            assertArrayEquals(b.parameters().get(t).value().data(), v, "tensor " + t);
            for (double e : v) {
                thetaLeftFloat &= e == (float) e;
            }
        }
        assertFalse(thetaLeftFloat, "θ stays double: the update is not rounded to float");
    }

    /** The optimizer's float32 update of every tensor, θ rounded to float first and widened back after. */
    private static void floatStep(dev.descent.optim.Optimizer o, Network n) {
        o.begin(n.parameters(), true);
        for (int t = 0; t < n.parameters().size(); t++) {
            double[] v = n.parameters().get(t).value().data(), g = n.parameters().get(t).grad().data();
            float[] theta = new float[v.length], gf = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                theta[i] = (float) v[i];
                gf[i] = (float) g[i]; // exact: float32's gradients are floats widened
            }
            o.update(t, theta, 0, v.length, gf);
            for (int i = 0; i < v.length; i++) {
                v[i] = theta[i];
            }
        }
    }

    /**
     * In float32 a run of steps keeps θ in float from step to step and writes it to the network
     * when it closes: it ends where fresh steps, each reading θ from the network and writing it
     * back, end. A step after the run reads θ afresh, so a change made in between (a restore,
     * as the doctor's probes do) is seen; one without closing the run first still gets its θ.
     */
    @Test
    void aRunOfStepsIsFreshStepsAndAFreshStepSeesChanges() {
        Random rng = new Random(12);
        int n = 192, d = 20, batch = 64; // two blocks of 32 rows, where there are two cores
        Matrix data = Checks.random(rng, n, d);
        dev.descent.data.Features f = dev.descent.data.Features.of(data);
        int[] order = inOrder(n), y = labels(rng, batch, 3);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        Network a = network(d, List.of(10), "relu", 3, 4), b = network(d, List.of(10), "relu", 3, 4);
        FusedBackprop fa = new FusedBackprop(Dtype.FLOAT32), fb = new FusedBackprop(Dtype.FLOAT32);
        dev.descent.optim.Optimizer oa = new dev.descent.optim.GradientDescent(0.5);
        dev.descent.optim.Optimizer ob = new dev.descent.optim.GradientDescent(0.5);
        Matrix x = new Matrix(batch, d);
        List<Matrix> start = a.snapshot();
        try (TrainingStep.Run run = fa.run(a, loss, oa)) {
            for (int step = 0; step < 3; step++) {
                double la = run.step(f, order, step * batch, x, y).loss();
                double lb = fb.step(b, loss, f, order, step * batch, x, y, ob).loss();
                assertEquals(lb, la, "step " + step);
            }
            assertEquals(start, a.snapshot(), "within the run, the network's θ waits for the run to close");
        }
        for (int t = 0; t < a.parameters().size(); t++) {
            double[] v = a.parameters().get(t).value().data();
            assertArrayEquals(b.parameters().get(t).value().data(), v);
            for (double e : v) {
                assertEquals(e, (float) e, 0.0, "θ is kept in float");
            }
        }
        a.restore(start);
        double after = fa.step(a, loss, f, order, 0, x, y, oa).loss();
        double fresh = new FusedBackprop(Dtype.FLOAT32).step(network(d, List.of(10), "relu", 3, 4), loss, f, order, 0,
                x, y, new dev.descent.optim.GradientDescent(0.5)).loss();
        assertEquals(fresh, after);

        Network c = network(d, List.of(10), "relu", 3, 4), e = network(d, List.of(10), "relu", 3, 4);
        FusedBackprop fc = new FusedBackprop(Dtype.FLOAT32), fe = new FusedBackprop(Dtype.FLOAT32);
        dev.descent.optim.Optimizer oc = new dev.descent.optim.GradientDescent(0.5);
        dev.descent.optim.Optimizer oe = new dev.descent.optim.GradientDescent(0.5);
        TrainingStep.Run open = fc.run(c, loss, oc);
        open.step(f, order, 0, x, y);
        fc.step(c, loss, f, order, batch, x, y, oc); // while the run is open: its θ is written back first
        fe.step(e, loss, f, order, 0, x, y, oe);
        fe.step(e, loss, f, order, batch, x, y, oe);
        assertEquals(e.snapshot(), c.snapshot());
    }


    /** Each core reads its rows straight from the data set: the same bits as gathering doubles first. */
    @ParameterizedTest
    @CsvSource({"FLOAT64", "FLOAT32"})
    void readingRowsStraightFromTheDataChangesNothing(Dtype dtype) {
        Random rng = new Random(11);
        int n = 150, d = 20;
        byte[] pixels = new byte[n * d];
        rng.nextBytes(pixels);
        dev.descent.data.Features bytes = dev.descent.data.Features.ofBytes(pixels, n, d, 1 / 255.0);
        dev.descent.data.Features doubles = dev.descent.data.Features.of(Checks.random(rng, n, d));
        int[] subset = new int[120];
        for (int i = 0; i < subset.length; i++) {
            subset[i] = (i * 7) % n;
        }
        List<dev.descent.data.Features> all = List.of(bytes, doubles, bytes.select(subset),
                doubles.standardized(dev.descent.data.Standardization.fit(doubles)));
        for (dev.descent.data.Features f : all) {
            int[] order = new int[f.rows()], y = labels(rng, 100, 4);
            for (int i = 0; i < order.length; i++) {
                order[i] = order.length - 1 - i;
            }
            Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
            Network a = network(d, List.of(16), "relu", 4, 3), b = network(d, List.of(16), "relu", 4, 3);
            FusedBackprop fa = new FusedBackprop(dtype), fb = new FusedBackprop(dtype);
            Matrix x = new Matrix(100, d), gathered = new Matrix(100, d);
            for (int step = 0; step < 2; step++) {
                int from = step * 5;
                double la = fa.step(a, loss, f, order, from, x, y, new dev.descent.optim.GradientDescent(0.1)).loss();
                f.gather(order, from, 100, gathered);
                double lb = fb.step(b, loss, gathered, y, new dev.descent.optim.GradientDescent(0.1)).loss();
                assertEquals(lb, la);
            }
            for (int t = 0; t < a.parameters().size(); t++) {
                assertArrayEquals(b.parameters().get(t).value().data(), a.parameters().get(t).value().data());
            }
        }
    }

    @Test
    void aNanInTheInputShowsInTheLossAndTheGradients() {
        Random rng = new Random(6);
        Matrix x = Checks.random(rng, 70, 12);
        x.set(50, 3, Double.NaN);
        Network n = network(12, List.of(9), "relu", 4, 6);
        for (Dtype d : Dtype.values()) {
            GradientSource.Result r = new FusedBackprop(d).computeGradients(n, new SoftmaxCrossEntropy(Reduction.MEAN),
                    x, labels(rng, 70, 4));
            assertTrue(Double.isNaN(r.loss()), d.label());
            assertTrue(Double.isNaN(n.parameters().get(0).grad().get(3, 0))
                    || Double.isNaN(n.parameters().get(2).grad().get(0, 0)), d.label());
        }
    }

    /**
     * A network the fused schedule cannot take (two activations in a row here, or a user's own
     * layer) trains on the reference schedule: the same gradients as the layers' backprop, exactly.
     */
    @Test
    void trainsWhatItCannotScheduleOnTheReferenceSchedule() {
        Network custom = new Network(3, List.of(new Dense(3, 2), new dev.descent.layers.Activation.Relu(),
                new dev.descent.layers.Activation.Tanh(), new Dense(2, 2)));
        Initializer.PYTORCH.initialize(custom, 4);
        Loss loss = new SoftmaxCrossEntropy(Reduction.SUM);
        assertFalse(FusedBackprop.schedules(custom, loss));
        assertTrue(FusedBackprop.schedules(network(3, List.of(4), "tanh", 2, 1), loss));
        Matrix x = Checks.random(new Random(4), 5, 3);
        int[] y = {0, 1, 1, 0, 1};
        double[] a = new double[2], b = new double[2];
        List<Matrix> expected = gradients(new Backpropagation(), custom, loss, x, y, a);
        List<Matrix> viaFused = gradients(new FusedBackprop(Dtype.FLOAT32), custom, loss, x, y, b);
        for (int t = 0; t < expected.size(); t++) {
            assertArrayEquals(expected.get(t).data(), viaFused.get(t).data(), "tensor " + t);
        }
        assertEquals(a[0], b[0]);
    }

    @Test
    void saysWhichLabelIsOutsideTheClasses() {
        Network n = network(3, List.of(4), "relu", 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FusedBackprop(Dtype.FLOAT32)
                .computeGradients(n, new SoftmaxCrossEntropy(Reduction.SUM), new Matrix(2, 3), new int[] {0, 2}));
        assertEquals("label 2 of row 1 is outside the 2 classes", e.getMessage());
    }

    /**
     * A bad label in either core's rows of a split batch ends the step with its own message (the
     * other core, waiting for it between layers, stops too), and the next step runs as usual.
     */
    @ParameterizedTest
    @CsvSource({"10", "90"})
    void aFailureInOneCoresRowsEndsTheStepWithItsMessage(int badRow) {
        Random rng = new Random(8);
        Matrix x = Checks.random(rng, 100, 12);
        int[] y = labels(rng, 100, 4);
        Network n = network(12, List.of(9), "relu", 4, 8);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        for (Dtype d : Dtype.values()) {
            FusedBackprop f = new FusedBackprop(d);
            int[] bad = y.clone();
            bad[badRow] = 7;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> f.computeGradients(n, loss, x, bad));
            assertEquals("label 7 of row " + badRow + " is outside the 4 classes", e.getMessage());
            double[] a = new double[2], b = new double[2];
            List<Matrix> after = gradients(f, n, loss, x, y, a);
            List<Matrix> fresh = gradients(new FusedBackprop(d), n, loss, x, y, b);
            assertEquals(b[0], a[0], d.label());
            assertEquals(0.0, worst(fresh, after), d.label());
        }
    }

    /** A step that fails within a run of steps loses nothing: the run goes on from the step before. */
    @Test
    void aRunGoesOnAfterAFailedStep() {
        Random rng = new Random(14);
        int n = 192, d = 20, batch = 64;
        dev.descent.data.Features f = dev.descent.data.Features.of(Checks.random(rng, n, d));
        int[] order = inOrder(n), y = labels(rng, batch, 3), bad = y.clone();
        bad[40] = 5;
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        Network a = network(d, List.of(10), "relu", 3, 6), b = network(d, List.of(10), "relu", 3, 6);
        FusedBackprop fa = new FusedBackprop(Dtype.FLOAT32), fb = new FusedBackprop(Dtype.FLOAT32);
        dev.descent.optim.Optimizer oa = new dev.descent.optim.GradientDescent(0.5);
        dev.descent.optim.Optimizer ob = new dev.descent.optim.GradientDescent(0.5);
        Matrix x = new Matrix(batch, d);
        try (TrainingStep.Run run = fa.run(a, loss, oa)) {
            run.step(f, order, 0, x, y);
            assertThrows(IllegalArgumentException.class, () -> run.step(f, order, batch, x, bad));
            run.step(f, order, 2 * batch, x, y);
        }
        fb.step(b, loss, f, order, 0, x, y, ob);
        fb.step(b, loss, f, order, 2 * batch, x, y, ob);
        assertEquals(b.snapshot(), a.snapshot());
    }

    /** Called from inside a block of another split, the step runs in one block, rather than waiting forever. */
    @Test
    void aStepInsideAnotherSplitRunsInOneBlock() {
        Random rng = new Random(13);
        Matrix x = Checks.random(rng, 128, 20);
        int[] y = labels(rng, 128, 5);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        Network outside = network(20, List.of(16), "relu", 5, 2);
        double[] l = new double[2];
        List<Matrix> expected = gradients(new FusedBackprop(Dtype.FLOAT64), outside, loss, x, y, l);
        int parts = Math.max(2, dev.descent.tensor.Parallel.THREADS);
        double[][] losses = new double[parts][2];
        List<List<Matrix>> got = new java.util.ArrayList<>(java.util.Collections.nCopies(parts, null));
        dev.descent.tensor.Parallel.parts(parts, Math.min(parts, dev.descent.tensor.Parallel.THREADS), (part, from, to) -> {
            for (int p = from; p < to; p++) {
                Network inside = network(20, List.of(16), "relu", 5, 2);
                got.set(p, gradients(new FusedBackprop(Dtype.FLOAT64), inside, loss, x, y, losses[p]));
            }
        });
        for (int p = 0; p < parts; p++) {
            assertTrue(worst(expected, got.get(p)) < 1e-12, "block " + p + ": " + worst(expected, got.get(p)));
            assertEquals(l[0], losses[p][0], 1e-12 * Math.abs(l[0]));
        }
    }

    /**
     * softplus, y = ln(1 + eˣ), whose slope from its output is 1 − e^(−y): a user's own
     * element-wise layer, which the fused schedule runs from its kernels. {@code slopeFactor}
     * scales the slope: 1 is right, −1 the thread's sign error.
     */
    private static final class Softplus extends dev.descent.layers.Activation {
        private final double slopeFactor;

        Softplus(double slopeFactor) {
            this.slopeFactor = slopeFactor;
        }

        @Override
        protected double apply(double x) {
            return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
        }

        @Override
        protected double derivativeFromOutput(double y) {
            return slopeFactor * -Math.expm1(-y);
        }

        @Override
        public String kind() {
            return "softplus";
        }
    }

    /**
     * The check runs on what trains: a user's element-wise layer runs on the fused schedule, and
     * a wrong slope there is caught by checking the fused step itself; a right one passes.
     */
    @Test
    void aWrongKernelOnTheFusedScheduleIsCaughtByCheckingTheFusedStep() {
        Random rng = new Random(12);
        Matrix x = Checks.random(rng, 40, 6);
        int[] y = labels(rng, 40, 3);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        for (double factor : new double[] {1, -1}) {
            Network n = new Network(6, List.of(new Dense(6, 5), new Softplus(factor), new Dense(5, 3)));
            Initializer.PYTORCH.initialize(n, 12);
            assertTrue(FusedBackprop.schedules(n, loss));
            dev.descent.gradcheck.GradientCheckReport r = new dev.descent.gradcheck.GradientCheck()
                    .check(new FusedBackprop(Dtype.FLOAT64), n, loss, x, y);
            if (factor == 1) {
                assertTrue(r.passed(), r.toString());
            } else {
                assertEquals(List.of("W1", "b1"), r.failures().stream().map(t -> t.name()).toList());
                assertTrue(r.tensor("W1").signFlipped(), r.toString());
            }
        }
    }
}
