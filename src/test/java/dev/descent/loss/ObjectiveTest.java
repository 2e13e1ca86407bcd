package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.tensor.Matrix;
import org.junit.jupiter.api.Test;

class ObjectiveTest {
    private static final double EXACT = 1e-15;

    /** Five samples of three classes; predictions (the largest output) 0, 1, 1, 2, 0 against labels 0, 1, 2, 2, 1. */
    private static final Matrix OUTPUT = Matrix.of(new double[][] {
        {3, 1, 0}, {0, 2, 1}, {0, 5, 4}, {1, 0, 2}, {2, 1, 1}});
    private static final int[] LABELS = {0, 1, 2, 2, 1};

    /** Two errors of five: 2 summed, 0.4 as a mean. */
    @Test
    void accuracyCountsTheErrorsAsTheLossReduces() {
        assertEquals(2.0, Objective.ACCURACY.value(new SoftmaxCrossEntropy(Reduction.SUM), OUTPUT, LABELS), EXACT);
        assertEquals(0.4, Objective.ACCURACY.value(new SoftmaxCrossEntropy(Reduction.MEAN), OUTPUT, LABELS), EXACT);
    }

    /**
     * By hand: class 0 has TP 1, FP 1, FN 0 (F1 2/3); class 1 TP 1, FP 1, FN 1 (1/2); class 2
     * TP 1, FP 0, FN 1 (2/3); the mean is 11/18, and 1 − 11/18 is minimised.
     */
    @Test
    void f1MacroIsTheMeanOverClasses() {
        assertEquals(11.0 / 18, Objective.f1Macro(OUTPUT, LABELS), EXACT);
        assertEquals(7.0 / 18, Objective.F1_MACRO.value(new SoftmaxCrossEntropy(Reduction.SUM), OUTPUT, LABELS),
                EXACT);
    }

    @Test
    void theLossIsTheLossItself() {
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        assertEquals(loss.forward(OUTPUT, LABELS), Objective.LOSS.value(loss, OUTPUT, LABELS), EXACT);
    }

    @Test
    void namesAreParsed() {
        assertEquals(Objective.F1_MACRO, Objective.of(" F1-Macro "));
        assertEquals("accuracy", Objective.ACCURACY.toString());
        assertThrows(IllegalArgumentException.class, () -> Objective.of("precision"));
    }
}
