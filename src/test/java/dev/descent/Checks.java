package dev.descent;

import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.tensor.Matrix;
import java.util.Random;
import java.util.function.DoubleSupplier;

/** Shared test helpers: seeded random matrices and finite-difference checks of a single layer. */
public final class Checks {
    private Checks() {}

    /** Relative error we accept between backprop and central differences, away from kinks. */
    public static final double GRAD_RTOL = 1e-7;

    /**
     * Step for the central differences in these checks: near ε^(1/3) ≈ 6e-6, which balances the
     * O(h²) truncation error against the ε·|L|/h rounding error.
     */
    public static final double H = 1e-5;

    /** max |a − b| / max |a| per tensor (the norm floored at 1e-12), the worst over the tensors. */
    public static double worstRelativeDifference(java.util.List<Matrix> a, java.util.List<Matrix> b) {
        double worst = 0;
        for (int t = 0; t < a.size(); t++) {
            double diff = 0, norm = 0;
            for (int i = 0; i < a.get(t).size(); i++) {
                diff = Math.max(diff, Math.abs(a.get(t).data()[i] - b.get(t).data()[i]));
                norm = Math.max(norm, Math.abs(a.get(t).data()[i]));
            }
            worst = Math.max(worst, diff / Math.max(norm, 1e-12));
        }
        return worst;
    }

    public static Matrix random(Random rng, int rows, int cols) {
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < m.size(); i++) {
            m.data()[i] = rng.nextGaussian();
        }
        return m;
    }

    /** |a − n| / max(|a|, |n|, 1e-8): the relative error of the CS231n notes, with a floor for tiny values. */
    public static double relativeError(double a, double n) {
        return Math.abs(a - n) / Math.max(1e-8, Math.max(Math.abs(a), Math.abs(n)));
    }

    /** (f(θ+h) − f(θ−h)) / 2h for entry i of data, restoring it afterwards. */
    public static double centralDifference(double[] data, int i, DoubleSupplier f) {
        double original = data[i];
        data[i] = original + H;
        double plus = f.getAsDouble();
        data[i] = original - H;
        double minus = f.getAsDouble();
        data[i] = original;
        return (plus - minus) / (2 * H);
    }

    /**
     * Checks a layer's backward against central differences of the probe loss L = Σ y ⊙ R for a
     * fixed random R (so dL/dy = R), for the input and every parameter. Returns the worst
     * relative error.
     */
    public static double worstLayerError(Layer layer, Matrix x, long seed) {
        Matrix y0 = layer.forward(x);
        Matrix probe = random(new Random(seed), y0.rows(), y0.cols());
        DoubleSupplier loss = () -> {
            Matrix y = layer.forward(x);
            double s = 0;
            for (int i = 0; i < y.size(); i++) {
                s += y.data()[i] * probe.data()[i];
            }
            return s;
        };
        layer.parameters().forEach(Parameter::zeroGrad);
        layer.forward(x);
        Matrix dx = layer.backward(probe);
        double worst = 0;
        for (int i = 0; i < x.size(); i++) {
            worst = Math.max(worst, relativeError(dx.data()[i], centralDifference(x.data(), i, loss)));
        }
        for (Parameter p : layer.parameters()) {
            for (int i = 0; i < p.size(); i++) {
                worst = Math.max(worst, relativeError(p.grad().data()[i], centralDifference(p.value().data(), i, loss)));
            }
        }
        return worst;
    }

    /** The values of a rounded to float. */
    public static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /**
     * Asserts that a float32 kernel's result f is its float64 twin's d to float32's rounding (within
     * {@code 1e-5} of d's largest entry), and not to float64's: the twin really computed in float.
     */
    public static void assertFloatTwin(double[] d, float[] f, String what) {
        org.junit.jupiter.api.Assertions.assertEquals(d.length, f.length, what + ": length");
        double scale = 0, worst = 0;
        for (double v : d) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < d.length; i++) {
            worst = Math.max(worst, Math.abs(d[i] - f[i]));
        }
        org.junit.jupiter.api.Assertions.assertTrue(scale > 0, what + ": all zero, a test of nothing");
        org.junit.jupiter.api.Assertions.assertTrue(worst <= 1e-5 * scale, what + ": differs by " + worst / scale);
        org.junit.jupiter.api.Assertions.assertTrue(worst > 1e-12 * scale, what + ": not rounded to float at all");
    }
}
