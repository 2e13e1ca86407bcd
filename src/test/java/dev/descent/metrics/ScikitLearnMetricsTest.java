package dev.descent.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Matrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ROC AUC, top-k accuracy, balanced accuracy and the macro and weighted F1 against scikit-learn
 * 1.2's on the same scores, its values written out (computed by {@code roc_auc_score},
 * {@code top_k_accuracy_score}, {@code balanced_accuracy_score} and {@code f1_score}).
 */
class ScikitLearnMetricsTest {
    /** The AUC agrees with scikit-learn's to this (it is exact to one rounding here). */
    private static final double AUC_TOLERANCE = 1e-12;

    private static boolean[] positive(int[] y) {
        boolean[] b = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            b[i] = y[i] == 1;
        }
        return b;
    }

    /** Scores rounded to two decimals, so many tie across the classes: each tie counts half, as scikit-learn's does. */
    @Test
    void rocAucWithTiesIsScikitLearns() {
        int[] y = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1};
        double[] s = {0.58, 0.8, 0.7, 0.61, 0.79, 0.41, 0.38, 0.31, 0.02, 0.02, 0.26, 0.53, 0.76, 0.31, 0.26, 0.55,
            0.12, 0.31, 0.1, 0.35, 0.4, 0.18, 0.0, 0.42, 0.38, 0.13, 0.74, 0.25, 0.42, 0.62};
        Roc roc = Roc.of(s, positive(y));
        assertEquals(0.9466666666666667, roc.auc(), AUC_TOLERANCE);
        // roc_curve(y, s, drop_intermediate=False) has 25 points: (0, 0) and one per distinct score
        assertEquals(25, roc.fpr().length);
        assertEquals(0, roc.fpr()[0]);
        assertEquals(1, roc.fpr()[24]);
        assertEquals(1, roc.tpr()[24]);
    }

    @Test
    void rocAucOfContinuousScoresIsScikitLearns() {
        int[] y = {0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0};
        double[] s = {0.587248730646733, 0.6039950158063662, 0.36303375229791074, 0.3827979484729993,
            0.405870146287673, 0.3404728115010212, 0.5141880803129125, 0.393738377097714, 0.49149897886238897,
            0.30802245635904735, 0.8306968306292928, 0.12900242241352802, 0.6530590975667709, 0.4302520488874422,
            0.5244462156897026, 0.39732884300307225, 0.32896948948498345, 0.5070445925247318, 0.8169689026869877,
            0.5423500729175561, 0.34183148871556635, 0.08727597225655614, 0.11547809698099942, 0.8067434108467146,
            0.33139589260035823};
        assertEquals(0.7051282051282051, Roc.of(s, positive(y)).auc(), AUC_TOLERANCE);
    }

    @Test
    void aCurveOfOneClassHasNoArea() {
        assertTrue(Double.isNaN(Roc.of(new double[] {0.1, 0.9}, new boolean[] {true, true}).auc()));
        Roc perfect = Roc.of(new double[] {0.1, 0.9}, new boolean[] {false, true});
        assertEquals(1.0, perfect.auc());
        assertArrayEquals(new double[] {0, 0, 1}, perfect.fpr());
        assertArrayEquals(new double[] {0, 1, 1}, perfect.tpr());
    }

    /** Ten rows of three classes: top-2 0.4, top-1 0.2, balanced accuracy 0.19444, macro F1 0.20741, weighted 0.20889. */
    @Test
    void topKBalancedAccuracyAndAveragedF1AreScikitLearns() {
        int[] y = {0, 1, 2, 2, 1, 0, 2, 1, 0, 0};
        Matrix p = Matrix.of(new double[][] {
            {0.18055249844891164, 0.8840568941964699, 0.6415717052224807},
            {0.5696942744738079, 0.3762878361299201, 0.41095528215712984},
            {0.23948921268184487, 0.03805728669123909, 0.876218808109271},
            {0.4677302168140961, 0.5476351992137353, 0.3221633097802251},
            {0.7513249198549279, 0.025196870801760363, 0.37218527256520395},
            {0.03035029438411163, 0.12289210220500935, 0.9671482353973677},
            {0.6577607300385144, 0.4282202463894813, 0.5237401079104803},
            {0.8728092085647744, 0.3442106669960262, 0.5902909822897147},
            {0.6836843733395437, 0.35541377702351207, 0.5190984864959901},
            {0.7652473832785226, 0.9091793139905502, 0.1510622780768155}});
        ConfusionMatrix m = new ConfusionMatrix(List.of("a", "b", "c"));
        long[] ranks = new long[3];
        for (int r = 0; r < y.length; r++) {
            m.add(y[r], dev.descent.tensor.MatrixOps.argmaxRow(p, r));
            ranks[Scores.Classes.rank(p, r, y[r])]++;
        }
        Scores.Classes scores = new Scores.Classes(Double.NaN, m, ranks, null);
        assertEquals(0.4, scores.topK(2), 1e-15);
        assertEquals(0.2, scores.topK(1), 1e-15);
        assertEquals(scores.accuracy(), scores.topK(1), 1e-15);
        assertEquals(1.0, scores.topK(3));
        assertEquals(0.19444444444444442, scores.balancedAccuracy(), 1e-15);
        assertEquals(0.2074074074074074, m.macro(m::f1), 1e-15);
        assertEquals(0.2088888888888889, m.weighted(m::f1), 1e-15);
        assertTrue(Double.isNaN(scores.auc()), "no ROC for three classes");
    }
}
