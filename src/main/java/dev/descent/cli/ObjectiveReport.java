package dev.descent.cli;

import dev.descent.data.Batches;
import dev.descent.data.Dataset;
import dev.descent.loss.Objective;
import dev.descent.network.Network;
import dev.descent.train.Evaluation;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The objective a zeroth-order run minimised, reported beside the loss when the run's table does
 * not show it already: F1 macro on the training data and the test set (accuracy is in the table).
 */
final class ObjectiveReport {
    private ObjectiveReport() {}

    /** {@code objective f1-macro: training F1 macro 0.8123, test 0.8010}, for an f1-macro run only. */
    static void print(PrintWriter out, Setup setup, Dataset test) {
        if (setup.recipe().objective() != Objective.F1_MACRO) {
            return;
        }
        out.printf(Locale.ROOT, "objective f1-macro: training F1 macro %.4f%s%n", f1Macro(setup.network(), setup.data()),
                test == null ? "" : String.format(Locale.ROOT, ", test %.4f", f1Macro(setup.network(), test)));
    }

    /** F1 macro of the network's predictions on {@code data}, in batches. */
    static double f1Macro(Network network, Dataset data) {
        int[] predicted = new int[data.size()];
        Batches.inOrder(data.features(), Evaluation.BATCH, (from, x) -> {
            int[] p = network.predictClasses(x);
            System.arraycopy(p, 0, predicted, from, x.rows());
        });
        return Objective.f1Macro(predicted, data.labels(), data.classCount());
    }
}
