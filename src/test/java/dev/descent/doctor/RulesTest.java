package dev.descent.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.doctor.Finding.Kind;
import dev.descent.init.Initializer;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.train.History;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule on a case of a run of one's own making: a history written down, no training. */
class RulesTest {
    private static final Dataset SEED = SeedExample.dataset();
    private static final Recipe RUN = Recipe.seedExample().withEpochs(3);

    /** The seed example's case with these losses and training accuracies, epoch 0 first. */
    private static Case seedCase(double[] losses, double[] accuracies) {
        List<History.Row> rows = new ArrayList<>();
        for (int e = 0; e < losses.length; e++) {
            rows.add(new History.Row(e, losses[e], accuracies[e], Double.NaN, Double.NaN, 0));
        }
        Network network = RUN.network(SEED);
        return Case.of(RUN, network, SEED, History.of(rows, null, -1));
    }

    @Test
    void aLossAtTheStartFarAboveLnKIsANote() {
        // 10 samples summed: 120 is 12 per sample, above 2 ln 10 + 1 = 5.6
        List<Finding> far = Rules.lossAtInit(seedCase(new double[] {120, 60, 30, 20}, new double[] {0, .5, .7, .8}),
                List.of());
        assertEquals(Kind.LOSS_AT_INIT, far.get(0).kind());
        assertTrue(far.get(0).title().startsWith("the loss at initialisation is 12.00 per sample"), far.get(0).title());
        assertEquals(List.of(), Rules.lossAtInit(seedCase(new double[] {23, 10, 5, 3}, new double[] {0, .5, .7, .8}),
                List.of()));
    }

    @Test
    void aLossAtTheLevelOfANetworkThatIgnoresItsInputLearnedNothing() {
        // n ln k = 10 ln 10 = 23.03 is the loss of uniform predictions; each class has one sample of 10
        assertEquals(Stuck.How.NOTHING_LEARNED, Stuck.how(seedCase(new double[] {23.03, 23.03, 23.02, 23.02},
                new double[] {.1, .1, .1, .1})));
        assertEquals(Stuck.How.BARELY_MOVED, Stuck.how(seedCase(new double[] {29, 28.99, 28.98, 28.97},
                new double[] {.1, .4, .5, .5})));
        assertEquals(Stuck.How.NO, Stuck.how(seedCase(new double[] {29, 11, 5, 3.1}, new double[] {0, .5, .7, .8})));
    }

    @Test
    void theDataContradictsItselfWhateverTheRunDid() {
        List<Finding> f = Rules.contradictions(seedCase(new double[] {29, 11, 5, 3.1}, new double[] {0, .5, .7, .8}),
                List.of());
        assertEquals(Kind.CONTRADICTORY_DATA, f.get(0).kind());
        assertTrue(f.get(0).evidence().contains("this run reached 80.0% and a loss of 3.10000"), f.get(0).evidence().toString());
    }

    @Test
    void aRiseTheWatcherSawIsCheckedAtTheParametersBeforeIt() {
        Network network = RUN.withInit(Initializer.UNIFORM01).network(SEED);
        List<History.Row> rows = List.of(new History.Row(0, 29, 0, Double.NaN, Double.NaN, 0),
                new History.Row(1, 40, 0.1, Double.NaN, Double.NaN, 0));
        Case c = Case.of(RUN.withEpochs(1), network, SEED, History.of(rows, null, -1));
        assertTrue(c.rose());
        List<Finding> f = Rules.rise(c, List.of());
        assertEquals(Kind.STEP_TOO_LARGE, f.get(0).kind(), f.toString()); // the gradient is right: the step was too large
        assertTrue(f.get(0).evidence().get(0).startsWith("gradient check at the parameters before that step: backprop "
                + "and central differences agree"), f.get(0).evidence().toString());
    }
}
