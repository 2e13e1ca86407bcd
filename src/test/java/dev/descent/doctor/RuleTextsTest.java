package dev.descent.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.doctor.Finding.Kind;
import org.junit.jupiter.api.Test;

/** --json gives each finding its rule and threshold: every kind has one, written from the rules' own constants. */
class RuleTextsTest {
    @Test
    void everyKindHasItsRuleWithTheThresholdsTheRulesUse() {
        for (Kind k : Kind.values()) {
            assertNotNull(RuleTexts.of(k), k.toString());
            assertFalse(RuleTexts.of(k).contains("0000000"), RuleTexts.of(k)); // no binary fractions' tails
        }
        assertTrue(RuleTexts.of(Kind.GENERALISATION_GAP).startsWith("training accuracy above held-out accuracy by "
                + "more than 10 points (and two standard errors), or held-out loss above training loss by more than "
                + "0.25 of the class-frequency loss"), RuleTexts.of(Kind.GENERALISATION_GAP));
        assertTrue(RuleTexts.of(Kind.SLOW_PLATEAU).startsWith("after at least 10 epochs a training loss of at least "
                + "0.95 of the class-frequency loss"), RuleTexts.of(Kind.SLOW_PLATEAU));
        assertTrue(RuleTexts.of(Kind.STEP_TOO_LARGE).contains("a loss at most 0.8 of its and lower by more than 0.02 of "
                + "the class-frequency loss, at no more than 5 points less accuracy; or 5 points more accuracy"),
                RuleTexts.of(Kind.STEP_TOO_LARGE));
        assertEquals("the largest class has at least 4 times the rows of the smallest",
                RuleTexts.of(Kind.CLASS_IMBALANCE));
    }
}
