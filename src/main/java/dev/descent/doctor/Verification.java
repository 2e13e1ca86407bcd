package dev.descent.doctor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The check before a try line is printed: the suggested command's own run, probed from the same
 * start ({@link Probes#with}), must work by the one rule ({@link Probes#works}): clearly better on
 * held-out rows than the run as it is, and better than the majority class and the class
 * frequencies there. The problems' fixes together are tried first; when they do not work
 * together, each problem's own fix alone; when none works, there is no try line, and the lines
 * say what was tried and how each ended.
 *
 * @param fix   the flags of the try line, verified; empty when none worked (or none was suggested)
 * @param lines what was verified, or what was tried and how each ended
 */
record Verification(List<String> fix, List<String> lines) {
    Verification {
        fix = List.copyOf(fix);
        lines = List.copyOf(lines);
    }

    /**
     * @param merged   every problem's fix together, as {@code Doctor} assembles the try line
     * @param findings the findings, for each problem's own fix
     */
    static Verification of(Case c, List<Finding> findings, List<String> merged) {
        if (merged.isEmpty()) {
            return new Verification(List.of(), List.of());
        }
        Set<List<String>> candidates = new LinkedHashSet<>();
        candidates.add(merged);
        for (Finding f : findings) {
            if (f.severity() == Finding.Severity.PROBLEM && !f.fix().isEmpty()) {
                candidates.add(f.fix());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> candidate : candidates) {
            Probes.Outcome o = c.probes.with(candidate);
            if (c.probes.works(o)) {
                lines.add(HeldOutTexts.verified(c.probes, o));
                return new Verification(candidate, lines);
            }
            lines.add(HeldOutTexts.tried(c.probes, o));
        }
        lines.add("no try line: no change the doctor tried made the run clearly better on " + c.probes.judge.which
                + " rows and better than a network that ignores its input");
        return new Verification(List.of(), lines);
    }
}
