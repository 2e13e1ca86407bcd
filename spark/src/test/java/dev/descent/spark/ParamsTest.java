package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.recipe.Recipe;
import org.junit.jupiter.api.Test;

/** What a user moving from MLlib would get wrong, and the memory a fit needs, each said in one line. */
class ParamsTest {
    @Test
    void mllibsFullLayersListIsRefusedSayingWhatLayersMeansHere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DescentClassifier()
                .setLayers(4, 16, 3).setEpochs(1).fit(TestSpark.blobs(60, 4, 3, 2, 1)));
        assertEquals("layers [4, 16, 3] reads as MLlib's [inputs, hidden..., outputs]: Descent's layers are the hidden "
                + "widths alone, the 4 inputs and 3 classes come from the data, so set layers to [16]", e.getMessage());
        IllegalArgumentException regression = assertThrows(IllegalArgumentException.class, () -> new DescentRegressor()
                .setLayers(3, 8, 1).setEpochs(1).fit(RegressionTest.assembled(RegressionTest.linear(40, 2, 1))));
        assertEquals("layers [3, 8, 1] reads as MLlib's [inputs, hidden..., outputs]: Descent's layers are the hidden "
                + "widths alone, the 3 inputs and 1 output come from the data, so set layers to [8]",
                regression.getMessage());
    }

    @Test
    void anExecutorTooSmallForItsTasksIsNamedWithTheFixes() {
        long mb = 1 << 20;
        assertNull(Memory.problem(1024 * mb, 1, 64 * mb, 40 * mb, false, 64 * mb));
        assertEquals("each executor needs 716 MB: Spark's reserved 300 MB and 4 tasks at once, each holding a block of "
                + "up to 64.0 MB and 40.0 MB of network work; spark.executor.memory is 512 MB: give executors more "
                + "memory, run fewer tasks on each (spark.executor.cores), or lower maxBlockMB (now 64)",
                Memory.problem(512 * mb, 4, 64 * mb, 40 * mb, false, 64 * mb));
    }

    @Test
    void theWorkingSetOfFashionMnistsNetworkIsAboutFortyMegabytes() {
        Plan plan = new Plan(Recipe.forData().withLayers(128), 784, 10, 0);
        long work = Memory.workingSet(plan);
        // 12 copies of 101,770 parameters and 4 batches of 1,000 rows of 922 values, in doubles
        assertEquals(8L * (12 * 101_770 + 4 * 1000 * 922), work);
    }
}
