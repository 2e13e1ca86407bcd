package dev.descent.doctor;

import dev.descent.train.History;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the doctor found about one training run.
 *
 * @param findings           problems first, then notes; a lone HEALTHY finding when nothing is wrong
 * @param history            the run that was watched
 * @param suggestedLearningRate a learning rate under which short probes from the same start fell, when one was needed
 * @param notFinite          where NaN or infinity first appeared, when it did
 * @param fix                the options to add to the run's command line (replacing the same ones): the
 *                           problems' fixes whose run, probed before they are suggested, did clearly
 *                           better on held-out rows; empty when none did
 * @param heldOut            what the doctor held out of the training data to judge on, in one line, or
 *                           null when the user gave held-out data (or the data was too small to split)
 * @param verification       how the fix was verified, or what was tried and how each ended
 */
public record Diagnosis(List<Finding> findings, History history, OptionalDouble suggestedLearningRate,
        Optional<NotFinite> notFinite, List<String> fix, String heldOut, List<String> verification) {
    public Diagnosis {
        findings = List.copyOf(findings);
        fix = List.copyOf(fix);
        verification = List.copyOf(verification);
    }

    /** How many findings are problems. */
    public long problems() {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.PROBLEM).count();
    }

    /** True when no finding is a problem. */
    public boolean healthy() {
        return findings.stream().noneMatch(f -> f.severity() == Finding.Severity.PROBLEM);
    }

    public boolean has(Finding.Kind kind) {
        return findings.stream().anyMatch(f -> f.kind() == kind);
    }

    public Finding get(Finding.Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no finding of kind " + kind));
    }

    /**
     * Where a NaN or infinity first appeared.
     *
     * @param epoch the epoch (1-based; 0 for the starting parameters)
     * @param step  the step within the epoch (1-based; full-batch training has one)
     * @param stage "forward pass", "backward pass" or "update"
     * @param where the layer ({@code layer 3 (sqrt)}) or tensor ({@code W1}) where it appeared
     */
    public record NotFinite(int epoch, int step, String stage, String where) {}
}
