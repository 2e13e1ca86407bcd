package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.fused.FusedBackprop;
import dev.descent.fused.FusedSpsa;
import dev.descent.gradcheck.SpsaCheck;
import dev.descent.gradcheck.SpsaCheckReport;
import dev.descent.loss.Loss;
import dev.descent.loss.Objective;
import dev.descent.network.Network;
import dev.descent.recipe.Defaults;
import dev.descent.tensor.Dtype;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * {@code descent gradcheck --gradient spsa}: the zeroth-order step that {@code train --gradient spsa}
 * runs, checked statistically against backprop's gradient ({@link SpsaCheck}), since no single draw
 * of a random-direction estimate is the gradient.
 */
final class SpsaGradcheck {
    private SpsaGradcheck() {}

    /**
     * Checks the step of {@code directions} directions and ε {@code h} (null: spsa's default) in
     * {@code dtype}; prints the header and the table, or the JSON. Exit code 0 when the estimate
     * agrees with theory, else 1.
     */
    static int run(PrintWriter out, Map<String, String> header, Network network, Loss loss, Dataset data,
            int directions, Double h, Dtype dtype, int draws, boolean json) {
        double eps = h == null ? Defaults.SPSA_H : h;
        FusedSpsa step = new FusedSpsa(dtype, eps, directions, Objective.LOSS);
        header.put("checking", step.describe() + ", as train runs it, against backprop's gradient (the fused step, "
                + "float64)");
        header.put("check", String.format(Locale.ROOT, "%d draws, each from a key of its own; theory for Gaussian "
                + "directions", draws));
        if (!json) {
            Setup.printHeader(out, "gradient check (spsa)", header);
        }
        SpsaCheckReport report = new SpsaCheck(draws).check(step, step::key, directions, eps,
                new FusedBackprop(Dtype.FLOAT64), network, loss, data.featureMatrix(), data.labels());
        if (json) {
            out.println(Json.write(report.json()));
        } else {
            out.print(report.table());
            out.println();
            out.println((report.passed() ? "PASS: " : "FAIL: ") + report.summary().replace("\n", "\nFAIL: "));
        }
        out.flush();
        return report.passed() ? 0 : 1;
    }
}
