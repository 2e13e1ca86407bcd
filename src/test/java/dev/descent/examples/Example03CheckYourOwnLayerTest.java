package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.tensor.Matrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Example 3, the one in docs/diagnostics.md: a layer of your own, written the wrong way and the
 * right way, and the gradient check that tells them apart. Put such a test beside every layer you
 * write.
 */
class Example03CheckYourOwnLayerTest {
    /** y = x ⊙ s, a learnable scale per unit. x: (N, k)  s: (1, k)  ->  y: (N, k). */
    static final class Scale implements Layer {
        private final Parameter scale;
        private final boolean wrongSign;
        private Matrix input; // cached by forward for the gradient of s

        Scale(int units, boolean wrongSign) {
            Matrix s = new Matrix(1, units);
            for (int j = 0; j < units; j++) {
                s.set(0, j, 0.5 + 0.25 * j);
            }
            this.scale = new Parameter("s", s);
            this.wrongSign = wrongSign;
        }

        @Override
        public Matrix forward(Matrix x) {
            input = x;
            Matrix y = new Matrix(x.rows(), x.cols());
            for (int r = 0; r < x.rows(); r++) {
                for (int j = 0; j < x.cols(); j++) {
                    y.set(r, j, x.get(r, j) * scale.value().get(0, j));
                }
            }
            return y;
        }

        @Override
        public Matrix backward(Matrix dY) {
            // ds_j += Σ_n x_nj dY_nj    dx_nj = dY_nj s_j
            Matrix dX = new Matrix(dY.rows(), dY.cols());
            for (int r = 0; r < dY.rows(); r++) {
                for (int j = 0; j < dY.cols(); j++) {
                    double ds = input.get(r, j) * dY.get(r, j);
                    // WRONG: "-=" is the thread's sign error; RIGHT: "+=".
                    scale.grad().data()[j] += wrongSign ? -ds : ds;
                    dX.set(r, j, dY.get(r, j) * scale.value().get(0, j));
                }
            }
            return dX;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(scale);
        }

        @Override
        public int outputSize(int inputSize) {
            return inputSize;
        }

        @Override
        public String kind() {
            return "scale";
        }
    }

    private static final Matrix X = Matrix.of(new double[][] {{1, -2, 3}, {0.5, 4, -1}});

    @Test
    void theWrongWayIsCaughtAndNamed() {
        GradientCheckReport report = new GradientCheck().checkLayer(new Scale(3, true), X, 42);
        assertTrue(report.tensor("input").passed());
        assertTrue(report.tensor("s").signFlipped());
        assertEquals("the gradient of s has the wrong sign (cosine -1.0000 with the central differences)",
                report.summary());
    }

    @Test
    void theRightWayPasses() {
        GradientCheckReport report = new GradientCheck().checkLayer(new Scale(3, false), X, 42);
        assertTrue(report.passed(), report.toString());
    }
}
