package dev.descent.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.doctor.Finding.Kind;
import dev.descent.recipe.Recipe;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The doctor on zeroth-order runs: a rise is the estimate's variance, and more directions are tried first. */
class SpsaDoctorTest {
    private static final Dataset SEED = SeedExample.dataset();

    private static Recipe spsa(double lr, int epochs) {
        return Recipe.seedExample().withGradient("spsa").withLearningRate(lr).withEpochs(epochs);
    }

    /**
     * At lr 0.01, one direction a step, the seed example's loss rises: the gradient checks, so the
     * step is too large for the estimate's variance; 16 directions at the same rate fell in the probe,
     * and are what the doctor advises, with a smaller rate beside them.
     */
    @Test
    void aRiseIsTheEstimatesVariance() {
        Recipe recipe = spsa(0.01, 300);
        Diagnosis d = new Doctor(recipe).examine(recipe.network(SEED), SEED);
        assertTrue(d.has(Kind.STEP_TOO_LARGE), d.findings().toString());
        Finding f = d.get(Kind.STEP_TOO_LARGE);
        String evidence = String.join("\n", f.evidence());
        assertTrue(evidence.contains("too large for the estimate's variance"), evidence);
        assertTrue(evidence.contains("over 330 parameters the estimate is about 18.2 times the gradient's length"),
                evidence);
        assertTrue(evidence.contains("with --directions 16 at the same rate"), evidence);
        assertTrue(f.suggestion().startsWith("average more directions a step (--directions 16) or take a smaller rate"),
                f.suggestion());
        assertEquals(List.of("--directions", "16"), f.fix());
        assertFalse(d.has(Kind.WRONG_GRADIENT), "the gradient spsa estimates is backprop's, which checks");
    }

    /** The advice works: the run with 16 directions at the same rate reaches the 80% ceiling. */
    @Test
    void theAdviceTrains() {
        Recipe advised = spsa(0.01, 300).withDirections(16);
        var network = advised.network(SEED);
        var history = advised.trainer(SEED).fit(network, SEED);
        assertEquals(0.8, history.last().accuracy(), 1e-12, history.rows().toString());
    }
}
