package dev.descent.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.doctor.Finding.Kind;
import dev.descent.doctor.Finding.Severity;
import dev.descent.doctor.Scenarios.Table;
import dev.descent.init.Initializer;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The check before a try line, and the one rule that judges probes, on a case gathered from a healthy run. */
class VerificationTest {
    /** A healthy run on blobs, gathered as the doctor gathers it: the doctor holds out its own rows. */
    private static Case healthy() {
        Table t = Scenarios.blobs(400, 6, 3, 2, 1);
        List<String> names = new ArrayList<>(Arrays.stream(t.y).distinct().sorted().toList());
        int[] labels = Arrays.stream(t.y).mapToInt(names::indexOf).toArray();
        Dataset data = new Dataset(dev.descent.tensor.Matrix.of(t.x), labels, names, "blobs");
        Recipe run = Recipe.forData();
        Network n = run.network(data);
        return Case.gather(run, n, data, null, null, null, List.of(), f -> {});
    }

    private static Finding problem(List<String> fix) {
        return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, "made up", List.of(), "", fix);
    }

    @Test
    void aFixWhoseRunIsNoBetterIsNotPrintedAndWhatWasTriedIsSaid() {
        Case c = healthy();
        assertTrue(c.heldOut.startsWith("on 80 of the 400 training rows"), c.heldOut);
        List<String> diverges = List.of("--lr", "1000"), slower = List.of("--lr", "0.0001");
        Verification v = Verification.of(c, List.of(problem(diverges), problem(slower)),
                List.of("--lr", "0.0001"));
        assertTrue(v.fix().isEmpty(), v.toString());
        assertEquals(3, v.lines().size(), v.toString());
        assertTrue(v.lines().get(0).startsWith("tried --lr 0.0001: held-out "), v.lines().get(0));
        assertTrue(v.lines().get(1).startsWith("tried --lr 1000: diverged"), v.lines().get(1));
        assertTrue(v.lines().get(2).startsWith("no try line: no change the doctor tried made the run clearly better"),
                v.lines().get(2));
    }

    @Test
    void theRunAsItIsIsNeverClearlyBetterThanItselfButAStartThatKillsItIsWorse() {
        Case c = healthy();
        Probes p = c.probes;
        assertTrue(p.learned(p.baseline()), p.brief(p.baseline()));
        assertFalse(p.works(p.baseline()));
        // From weights in [0, 1) this network learns nothing in its probe: not a fix, and the run as it is beats it.
        Probes.Outcome bad = p.with(List.of("--init", Initializer.UNIFORM01.toString()));
        assertFalse(p.works(bad), p.brief(bad));
        assertTrue(p.baseline().betterThan(bad, Probes.MATTERS * p.judge.frequencyLoss), p.brief(bad));
    }
}
