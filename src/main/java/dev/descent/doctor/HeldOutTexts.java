package dev.descent.doctor;

import dev.descent.doctor.Finding.Kind;
import dev.descent.doctor.Finding.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the doctor says about held-out rows ({@link Generalisation}'s findings) and about the fix
 * it verified, apart from the rules that decide to say it.
 */
final class HeldOutTexts {
    private HeldOutTexts() {}

    /** {@code training accuracy 100.0%, loss 0.0006 per sample; held-out accuracy 70.0%, loss 0.94 per sample}. */
    static String gapLine(Judge j, Judge.Score held, Judge.Score trained) {
        String train = j.regression() ? String.format(Locale.ROOT, "training loss %.4g per sample", trained.loss())
                : String.format(Locale.ROOT, "training accuracy %.1f%%, loss %.4g per sample", 100 * trained.accuracy(),
                        trained.loss());
        return "a generalisation gap: " + train + "; " + j.describe(held) + " (a gap is more than "
                + (j.regression() ? "" : Math.round(100 * Generalisation.GAP_ACCURACY) + " points of accuracy or ")
                + String.format(Locale.ROOT, "%.4g of loss, %s of the class-frequency loss)",
                        Generalisation.GAP_LOSS * j.frequencyLoss, Texts.format(Generalisation.GAP_LOSS));
    }

    static String nothingLearnedLine(Judge j, Judge.Score held) {
        return "nothing learned holds for rows it did not train on: " + j.describe(held) + "; " + j.baselines();
    }

    /**
     * @param memory   the evidence that the network fits the training rows (the run's gap, or a probe's)
     * @param probes   how many probes the doctor ran, none of which learned on held-out rows
     * @param absorbed the titles of the problems above that this explains
     */
    static Finding labelsUnrelated(Judge j, Judge.Score held, String memory, int probes, List<String> absorbed) {
        List<String> evidence = new ArrayList<>(List.of(memory, j.describe(held) + "; " + j.baselines(),
                "none of the doctor's " + probes + " probes (other rates, other starts, other scales) did better on "
                        + j.which + " rows than a network that ignores its input"));
        absorbed.forEach(t -> evidence.add("explained by this, not a problem of its own: " + t));
        return new Finding(Severity.PROBLEM, Kind.LABELS_UNRELATED, "the labels do not follow from the features: the "
                + "network can fit the training rows, and nothing it fits holds for " + j.which + " rows", evidence,
                "no change to the training will help: check that --label names the class column and that the rows "
                        + "and labels were not shuffled apart");
    }

    /** A probe that fitted the training rows while its held-out accuracy stayed at the baseline. */
    static String fitted(Probes probes, Probes.Outcome o) {
        return String.format(Locale.ROOT, "%s the run fits its training rows (training accuracy %.1f%%) while %s",
                o.label(), 100 * o.history().last().accuracy(), probes.brief(o));
    }

    static Finding nothingLearned(Judge j, Judge.Score held, Judge.Score trained) {
        String what = j.regression() ? "loss is no better than predicting the training targets' mean (R² ≤ 0)"
                : "accuracy is no better than the majority baseline";
        return new Finding(Severity.PROBLEM, Kind.NO_BETTER_THAN_BASELINE,
                "nothing learned holds for new data: " + j.which + " " + what,
                List.of(j.describe(held) + "; " + j.baselines(), !j.regression()
                        ? String.format(Locale.ROOT, "training accuracy %.1f%%, loss %.4g per sample",
                                100 * trained.accuracy(), trained.loss())
                        : String.format(Locale.ROOT, "training loss %.4g per sample", trained.loss())),
                "the features, as the network sees them, do not predict the " + (j.regression() ? "targets" : "labels")
                        + ": check that --label names the " + (j.regression() ? "target columns" : "class column")
                        + " and that the rows and labels were not shuffled apart");
    }

    /** A gap or a rising validation loss, with the fix that worked in its probe (none: said so). */
    static Finding overfitting(Kind kind, List<String> evidence, List<String> fix, String which) {
        String title = kind == Kind.OVERFITTING
                ? "the network overfits: it goes on learning the training rows after it stops generalising"
                : "the network does not generalise: it does much better on its training rows than on " + which
                        + " rows";
        String suggestion = fix.isEmpty()
                ? "none of the probed changes closed the gap on " + which + " rows: more rows, fewer features, or a "
                        + "smaller network"
                : "train with " + String.join(" ", fix) + ", which did clearly better on " + which + " rows in its probe";
        return new Finding(Severity.PROBLEM, kind, title, evidence, suggestion, fix);
    }

    /**
     * The fix verified before the try line is printed: {@code verified: this command's own run,
     * probed ..., ends at held-out accuracy 95.0%, loss 0.15 per sample (as it is: ...)}.
     */
    static String verified(Probes probes, Probes.Outcome fixed) {
        boolean w = Probes.weighs(fixed);
        return "verified: this command's own run, probed for " + fixed.history().last().epoch() + " epochs on "
                + probes.data.size() + " training rows from the same start, ends at " + probes.brief(fixed, w)
                + " (as it is: " + probes.brief(probes.baseline(), w) + "; " + probes.judge.baselines() + ")";
    }

    /** What was tried in place of a try line, and how it ended. */
    static String tried(Probes probes, Probes.Outcome o) {
        boolean w = Probes.weighs(o);
        return "tried " + String.join(" ", o.flags()) + ": " + probes.brief(o, w) + " (as it is: "
                + probes.brief(probes.baseline(), w) + "; " + probes.judge.baselines() + ")";
    }
}
