package dev.descent.cli;

import dev.descent.doctor.ClassBalance;
import dev.descent.doctor.DataChecks;
import dev.descent.doctor.Finding;
import dev.descent.doctor.Finding.Kind;
import dev.descent.io.Terminal;
import dev.descent.train.History;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code descent train} says about a run beyond its numbers: the doctor's cheap checks of the
 * data before training, one line each with the flag or change that fixes it, and after training
 * whether the run beat always predicting the majority class.
 */
final class Warnings {
    /** The data findings train prints; the doctor prints them all, with evidence and probes. */
    private static final Set<Kind> PRINTED = EnumSet.of(Kind.FEATURE_SCALE, Kind.LABEL_NOT_CLASSES, Kind.ID_FEATURE,
            Kind.CLASS_IMBALANCE, Kind.TEST_LEAKAGE);

    private Warnings() {}

    /** Prints the data findings train shows, and returns them. */
    static List<Finding> beforeTraining(PrintWriter out, Setup setup, DataOptions data) {
        List<Finding> printed = new ArrayList<>();
        for (Finding f : DataChecks.of(setup.data(), setup.test(), FeatureNames.of(data, setup.data().featureCount()))) {
            if (PRINTED.contains(f.kind())) {
                out.println("warning: " + Terminal.escape(f.title() + (f.kind() == Kind.FEATURE_SCALE ? " (" + largest(f)
                        + ")" : "") + "; " + f.suggestion())); // class and feature names, shown not acted on
                printed.add(f);
            }
        }
        if (!printed.isEmpty()) {
            out.println();
        }
        out.flush();
        return printed;
    }

    /** The worst columns, from the finding's first line of evidence. */
    private static String largest(Finding f) {
        String e = f.evidence().get(0);
        int at = e.indexOf("the largest: ");
        return at < 0 ? e : e.substring(at + "the largest: ".length());
    }

    /**
     * One line comparing the run's training accuracy with the majority-class baseline {@code b};
     * with class weights, which give up accuracy on the large class for recall on the small ones,
     * a line that says to judge the run by its balanced accuracy instead.
     */
    static void afterTraining(PrintWriter out, ClassBalance b, List<String> classNames, History result,
            boolean weighted) {
        String majority = Terminal.shown(classNames.get(b.majority()));
        double accuracy = result.last().accuracy();
        if (weighted) {
            out.printf(Locale.ROOT, "  the classes are weighted: accuracy (always predicting '%s' would get %.1f%%) "
                    + "counts the large classes most; judge by the balanced accuracy and each class's recall "
                    + "(--test, or descent evaluate)%n", majority, 100 * b.baseline());
        } else if (accuracy <= b.baseline() + 0.01) {
            out.printf(Locale.ROOT, "warning: nothing learned: training accuracy %.1f%% is no better than always "
                    + "predicting '%s' (%.1f%%); run 'descent doctor' with the same options to find out why%n",
                    100 * accuracy, majority, 100 * b.baseline());
        } else {
            out.printf(Locale.ROOT, "  always predicting '%s' would get %.1f%%: the majority-class baseline%n", majority,
                    100 * b.baseline());
        }
    }
}
