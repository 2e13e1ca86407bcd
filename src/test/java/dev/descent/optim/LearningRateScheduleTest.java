package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    private static final double EXACT = 1e-15;

    @Test
    void warmUpRisesLinearlyThenTheScheduleTakesOver() {
        LearningRateSchedule s = new LearningRateSchedule("constant", 0.1, 10, 4, 1, 1.0);
        assertEquals(0.025, s.rate(1), EXACT);
        assertEquals(0.05, s.rate(2), EXACT);
        assertEquals(0.1, s.rate(4), EXACT);
        assertEquals(0.1, s.rate(10), EXACT);
    }

    @Test
    void stepCutsByGammaEveryStepSizeEpochs() {
        LearningRateSchedule s = new LearningRateSchedule("step", 1.0, 9, 0, 3, 0.1);
        double[] expected = {1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01};
        for (int e = 1; e <= 9; e++) {
            assertEquals(expected[e - 1], s.rate(e), 1e-15, "epoch " + e);
        }
    }

    @Test
    void cosineStartsAtTheRateAfterWarmUpAndFallsTowardsZero() {
        LearningRateSchedule s = new LearningRateSchedule("cosine", 0.2, 12, 2, 1, 1.0);
        assertEquals(0.1, s.rate(1), EXACT);
        assertEquals(0.2, s.rate(3), EXACT); // the first epoch after warm-up: cos 0
        assertEquals(0.1, s.rate(8), 1e-15); // halfway through the 10 epochs after warm-up: cos(π/2)
        for (int e = 4; e <= 12; e++) {
            assertTrue(s.rate(e) < s.rate(e - 1) && s.rate(e) > 0, "epoch " + e);
        }
    }

    @Test
    void badSchedulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule("exp", 0.1, 10, 0, 1, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule("cosine", 0.1, 10, 10, 1, 1));
        assertEquals("the warm-up must be from 0 to 9 epochs of 10, got 10", e.getMessage());
    }

    @Test
    void aRateThatWouldUnderflowIsHeldAtTheFloorAndTheScheduleSaysFromWhen() {
        LearningRateSchedule s = new LearningRateSchedule("step", 0.05, 10, 0, 1, 1e-320);
        for (int e = 1; e <= 10; e++) {
            assertTrue(s.rate(e) > 0, "epoch " + e + ": " + s.rate(e) + " is no learning rate");
        }
        assertEquals(0.05, s.rate(1));
        assertEquals(Double.MIN_NORMAL, s.rate(2), "5e-322 would be subnormal, then 0");
        assertEquals(2, s.firstEpochAtFloor());
        assertTrue(s.describe().endsWith("from epoch 2 the rate would fall below 2.23e-308 and underflow, so it is held there"),
                s.describe());
        LearningRateSchedule tiny = new LearningRateSchedule("cosine", 1e-310, 5, 2, 1, 1.0);
        assertEquals(1e-310, tiny.floor(), "a rate already below the floor is its own floor");
        assertEquals(-1, new LearningRateSchedule("step", 1.0, 9, 0, 3, 0.1).firstEpochAtFloor());
        assertEquals(0.01, new LearningRateSchedule("step", 1.0, 9, 0, 3, 0.1).rate(7), 1e-15, "ordinary rates are untouched");
    }
}
