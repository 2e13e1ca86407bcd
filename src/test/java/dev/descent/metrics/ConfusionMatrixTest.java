package dev.descent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The confusion matrix's figures against scikit-learn's on the same labels. */
class ConfusionMatrixTest {
    /** scikit-learn 1.2.1 rounds these differently only past 1e-15. */
    private static final double EXACT = 1e-15;

    /**
     * Four classes, the last never predicted right and one (3) never predicted at all: with
     * {@code precision_recall_fscore_support(y_true, y_pred, zero_division=0, labels=[0, 1, 2, 3])},
     * scikit-learn 1.2.1 gives precision [0.5, 0.5, 1, 0], recall [2/3, 1, 0.5, 0], F1 [4/7, 2/3,
     * 2/3, 0], support [3, 2, 4, 1]; macro precision 0.5, recall 0.5416666666666666, F1
     * 0.47619047619047616; weighted 0.65, 0.6, 0.5714285714285714; accuracy 0.6.
     */
    @Test
    void theFiguresAreScikitLearns() {
        int[] truth = {0, 0, 0, 1, 1, 2, 2, 2, 2, 3}, predicted = {0, 1, 0, 1, 1, 2, 0, 2, 1, 0};
        ConfusionMatrix m = new ConfusionMatrix(List.of("a", "b", "c", "d"));
        for (int i = 0; i < truth.length; i++) {
            m.add(truth[i], predicted[i]);
        }
        assertEquals(0.6, m.accuracy(), EXACT);
        assertEquals(10, m.count());
        assertEquals(6, m.correct());
        assertEquals(0.5, m.precision(1), EXACT);
        assertEquals(2.0 / 3, m.recall(0), EXACT);
        assertEquals(4.0 / 7, m.f1(0), EXACT);
        assertTrue(Double.isNaN(m.precision(3)), "class 3 is never predicted: no precision");
        assertEquals(0.5, m.macro(m::precision), EXACT);
        assertEquals(0.5416666666666666, m.macro(m::recall), EXACT);
        assertEquals(0.47619047619047616, m.macro(m::f1), EXACT);
        assertEquals(0.65, m.weighted(m::precision), EXACT);
        assertEquals(0.6, m.weighted(m::recall), EXACT);
        assertEquals(0.5714285714285714, m.weighted(m::f1), EXACT);
        String table = m.table();
        assertTrue(table.contains("d                     -     0.0%        -        1"), table);
        assertTrue(table.contains("macro avg         50.0%    54.2%    47.6%       10"), table);
    }
}
