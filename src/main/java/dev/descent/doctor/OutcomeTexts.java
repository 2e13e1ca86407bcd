package dev.descent.doctor;

import static dev.descent.doctor.Texts.accuracy;
import static dev.descent.doctor.Texts.format;

import dev.descent.data.Contradictions;
import dev.descent.data.Dataset;
import dev.descent.doctor.Finding.Kind;
import dev.descent.doctor.Finding.Severity;
import dev.descent.train.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the doctor says about where a run ended up: the features' scale and the loss at the start,
 * dead units, the loss stuck at the level of a network that ignores its input, contradictory data,
 * and a healthy run; apart from the rules that decide to say it ({@link Rules}).
 */
final class OutcomeTexts {
    private OutcomeTexts() {}

    /** The scale finding with the --standardize probe's outcome: a problem it fixes, or a note when it did not help. */
    static Finding withStandardizeProbe(Finding scale, Probes.Outcome with, Probes.Outcome without, boolean helps) {
        List<String> evidence = new ArrayList<>(scale.evidence());
        evidence.add("probe from the same start: with --standardize " + with.describe() + "; as it is "
                + without.describe());
        if (helps) {
            return new Finding(Severity.PROBLEM, scale.kind(), scale.title(), evidence, scale.suggestion(), scale.fix());
        }
        return new Finding(Severity.NOTE, scale.kind(), scale.title(), evidence,
                "--standardize did no better in the probe; this run does not need it", List.of());
    }

    static Finding lossAtInit(double mean, int classes, double expected) {
        return new Finding(Severity.NOTE, Kind.LOSS_AT_INIT,
                String.format(Locale.ROOT, "the loss at initialisation is %.4g per sample; about ln %d = %.4g is "
                        + "expected", mean, classes, expected),
                List.of("a network that starts without an opinion predicts every class with probability 1/k, a loss "
                        + "of ln k; far above it, the start is confidently wrong: outputs too large, from large "
                        + "inputs or large initial weights"),
                "inputs near mean 0 and sd 1 (--standardize) and a scaled initialisation (he, xavier) start near ln k");
    }

    // ---- dead units ---------------------------------------------------------------------------

    /** {@code layer 2 (relu): 20 of 20 units dead, the earliest since epoch 3}. */
    static String deadLine(int layer, int dead, int units, int since) {
        return String.format(Locale.ROOT, "layer %d (relu): %d of %d units dead%s", layer, dead, units,
                since == 0 ? " from the start" : ", the earliest since epoch " + since);
    }

    /** {@code the loss is 23.0259 after epoch 100; a network that ignores its input can do no better than ...}. */
    static String ignoringInput(History history, double best, String why) {
        return String.format(Locale.ROOT, "the loss is %.6g after epoch %d; a network that ignores its input can do no "
                + "better than %.6g (%s)", history.last().loss(), history.last().epoch(), best, why);
    }

    static Finding deadNetwork(List<String> evidence) {
        return new Finding(Severity.PROBLEM, Kind.DEAD_NETWORK,
                "the network's output no longer depends on its input: a whole ReLU layer is dead", evidence,
                "use a smaller learning rate, or an initialisation that keeps units alive (he)");
    }

    static Finding deadUnits(List<String> evidence) {
        return new Finding(Severity.NOTE, Kind.DEAD_UNITS, "some ReLU units are never active on the training data",
                evidence, "dead units no longer learn; if there are many, try a smaller learning rate, or features "
                        + "scaled to mean 0 and sd 1");
    }

    static Finding deadFromScale(Finding dead, Probes.Outcome standardized) {
        List<String> evidence = new ArrayList<>(dead.evidence());
        evidence.add("the features are far from mean 0 and sd 1 (see above); probe from the same start at the same "
                + "learning rate: with --standardize " + standardized.describe());
        return new Finding(Severity.PROBLEM, dead.kind(), dead.title(), evidence,
                "standardise the features (--standardize): large inputs pushed every unit below 0", List.of("--standardize"));
    }

    static Finding deadFromInit(Finding dead, Probes.Outcome byInit, Probes.Outcome byScale,
            LearningRateProbe byRate) {
        List<String> evidence = new ArrayList<>(dead.evidence());
        evidence.add("probe from the same seed with " + byInit.label() + ": " + byInit.describe());
        if (byScale != null) {
            evidence.add("with --standardize instead: " + byScale.describe());
        }
        if (byRate != null) {
            evidence.add("smaller learning rates instead, " + byRate.epochs + " epochs each: " + byRate.describe());
        }
        return new Finding(Severity.PROBLEM, dead.kind(), dead.title(), evidence, "start from a scaled "
                + "initialisation (" + byInit.label() + "): the starting weights drove every unit below 0, and of "
                + "the probed fixes it ends lowest", List.of("--init", Texts.initName(byInit)));
    }

    /** The dead layer with the smaller rates probed (after --standardize, when it helps): the rate that worked, if any. */
    static Finding deadWithRateProbe(Finding dead, LearningRateProbe probe, boolean standardized) {
        List<String> evidence = new ArrayList<>(dead.evidence());
        evidence.add("probes of " + probe.epochs + " epochs from the same start" + (standardized ? ", with --standardize"
                : "") + ": " + probe.describe());
        if (probe.found.isEmpty()) {
            return new Finding(dead.severity(), dead.kind(), dead.title(), evidence, dead.suggestion());
        }
        List<String> fix = new ArrayList<>(standardized ? List.of("--standardize") : List.of());
        fix.addAll(List.of("--lr", format(probe.found.getAsDouble())));
        return new Finding(dead.severity(), dead.kind(), dead.title(), evidence,
                probe.suggestion() + (standardized ? ", with --standardize" : ""), fix);
    }

    // ---- a loss stuck where a network that ignores its input is ---------------------------------

    static String plateauEvidence(History h, double ignoringInputLoss, String majority, double baseline) {
        return String.format(Locale.ROOT, "after %d epochs the loss is %.6g and training accuracy %.1f%%; predicting "
                + "the class frequencies for every sample gives a loss of %.6g and always predicting '%s' %.1f%%",
                h.last().epoch(), h.last().loss(), 100 * h.last().accuracy(), ignoringInputLoss, majority, 100 * baseline);
    }

    static String regressionPlateauEvidence(History h, double meanLoss) {
        return String.format(Locale.ROOT, "after %d epochs the loss is %.6g; predicting the targets' mean for every "
                + "sample gives a loss of %.6g (R² = 0)", h.last().epoch(), h.last().loss(), meanLoss);
    }

    static String largerRatesDidNoBetter(LearningRateProbe up) {
        return "larger learning rates, probed for " + up.epochs + " epochs from the same start, did no better: "
                + String.join(", ", up.outcomes);
    }

    static String checkTheLabels(boolean regression) {
        return regression ? "check that --label names the target columns and that the features can predict them"
                : "check that --label names the class column and that the features can predict it";
    }

    // ---- contradictory data and the healthy case ----------------------------------------------

    static Finding contradictoryData(Dataset data, Contradictions c, double floor, History history) {
        List<String> evidence = new ArrayList<>();
        for (int[] group : c.groups()) {
            List<String> rows = new ArrayList<>(), labels = new ArrayList<>();
            for (int r : group) {
                rows.add(Integer.toString(r + 1));
                labels.add(data.classNames().get(data.labels()[r]));
            }
            evidence.add("rows " + String.join(", ", rows) + ": the same input "
                    + formatRow(data.featureMatrix().row(group[0])) + " with labels " + String.join(", ", labels));
        }
        evidence.add(String.format(Locale.ROOT, "no model can beat %.1f%% accuracy (%d of %d) or a loss of %.6g",
                100 * c.maxAccuracy(), c.maxCorrect(), c.samples(), floor));
        History.Row last = history.last();
        if (Double.isFinite(last.loss())) {
            evidence.add(String.format(Locale.ROOT, "this run reached %.1f%% and a loss of %.6g", 100 * last.accuracy(),
                    last.loss()));
        }
        boolean done = last.accuracy() >= c.maxAccuracy() - 1e-12 && last.loss() < floor * 1.25 + 1e-9;
        return new Finding(Severity.NOTE, Kind.CONTRADICTORY_DATA,
                "the data gives " + c.groups().size() + " input" + (c.groups().size() == 1 ? "" : "s")
                        + " two or more labels", evidence,
                done ? "training has done nearly all it can on this data"
                        : "judge the run against these limits, not against 100% and 0");
    }

    private static String formatRow(double[] row) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < row.length && i < 8; i++) {
            sb.append(i > 0 ? ", " : "").append(format(row[i]));
        }
        return sb.append(row.length > 8 ? ", ...]" : "]").toString();
    }

    static Finding healthy(History history) {
        History.Row first = history.first(), last = history.last();
        return new Finding(Severity.HEALTHY, Kind.HEALTHY,
                String.format(Locale.ROOT, "the loss fell from %.6g to %.6g over %d epochs%s", first.loss(), last.loss(),
                        last.epoch(), accuracy(", training accuracy", last)),
                List.of(), "");
    }
}
