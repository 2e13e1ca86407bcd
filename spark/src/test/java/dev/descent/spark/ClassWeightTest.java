package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** classWeight: the library's class weights, resolved over the DataFrame's rows and kept in the model. */
class ClassWeightTest {
    /** 100, 100 and 10 rows of classes 0, 1, 2. */
    private static Dataset<Row> imbalanced() {
        Dataset<Row> all = TestSpark.blobs(300, 4, 3, 2, 5);
        return all.filter(functions.col("label").lt(2)).union(all.filter(functions.col("label").equalTo(2)).limit(10));
    }

    @Test
    void balancedIsScikitLearnsRuleOverTheRowsAndTheModelSaysSo() {
        Map<String, Object> t = new DescentClassifier().setLayers(4).setEpochs(1).setClassWeight("balanced")
                .fit(imbalanced()).model().training();
        assertEquals("balanced", t.get("classWeight"));
        // n / (k * n_c): 210 / (3 * 100) and 210 / (3 * 10)
        assertEquals("0=" + 210.0 / 300 + ", 1=" + 210.0 / 300 + ", 2=" + 210.0 / 30, t.get("classWeights"));
        assertEquals(null, new DescentClassifier().setLayers(4).setEpochs(1).fit(imbalanced()).model().training()
                .get("classWeight"), "unweighted fits are recorded as before");
    }

    @Test
    void aWeightForAClassThatDoesNotExistIsOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DescentClassifier()
                .setLayers(4).setEpochs(1).setClassWeight("rare=5").fit(imbalanced()));
        assertEquals("classWeight: no class 'rare' in the training data; its classes are 0, 1, 2", e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new DescentClassifier()
                .setLayers(4).setEpochs(1).setClassWeight("2=-1").fit(imbalanced()));
        assertEquals("classWeight: the weight of '2', '-1', must be a positive number", bad.getMessage());
    }
}
