package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.data.Standardization;
import dev.descent.network.Network;
import dev.descent.metrics.RegressionMetrics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What train and evaluate print about a regression model: its errors per target, in the targets' own units. */
final class Regression {
    private Regression() {}

    /**
     * The metrics of {@code network} on {@code data} (features as the network takes them), both its
     * predictions and the set's targets taken back to the targets' units by {@code targets} (null:
     * they are in them already): the library's {@link RegressionMetrics#of}.
     */
    static RegressionMetrics measure(Network network, Dataset data, Standardization targets) {
        try {
            return RegressionMetrics.of(network, data, targets, true);
        } catch (IllegalArgumentException e) {
            throw new UserError("--data: " + e.getMessage());
        }
    }

    /**
     * The reporter, printing beside a regression run's standardised loss the training set's mean
     * squared error in the targets' own units (the mean over the targets); as it is without
     * standardised targets, whose loss is in their units already.
     */
    static ConsoleReporter unitsError(ConsoleReporter reporter, Setup setup) {
        Standardization targets = setup.start().targetStandardization();
        if (!setup.regression() || targets == null) {
            return reporter;
        }
        return reporter.unitsError(network -> {
            RegressionMetrics m;
            try {
                m = RegressionMetrics.of(network, setup.data(), targets, true);
            } catch (IllegalArgumentException e) { // outputs that overflow: the loss itself says so
                return Double.NaN;
            }
            double sum = 0;
            for (RegressionMetrics.Target t : m.targets()) {
                sum += t.mse();
            }
            return sum / m.targets().size();
        });
    }

    /** Each target's numbers as {@code --json} prints them: target, mse, rmse, mae, r2 (null where undefined). */
    static List<Object> json(RegressionMetrics m) {
        List<Object> targets = new ArrayList<>();
        for (RegressionMetrics.Target t : m.targets()) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("target", t.name());
            k.put("mse", Json.number(t.mse()));
            k.put("rmse", Json.number(t.rmse()));
            k.put("mae", Json.number(t.mae()));
            k.put("r2", Json.number(t.r2()));
            targets.add(k);
        }
        return targets;
    }

    /** {@code test MSE 2912.3, RMSE 53.97, MAE 43.1, R² 0.4567} (the first target; all of them for several). */
    static void printSummary(PrintWriter out, String what, RegressionMetrics m) {
        if (m.targets().size() > 1) {
            out.println(what + ":");
            out.print(m.table());
            return;
        }
        RegressionMetrics.Target t = m.targets().get(0);
        out.printf(Locale.ROOT, "%s MSE %.6g, RMSE %.6g, MAE %.6g, R² %s (%d samples)%n", what, t.mse(), t.rmse(),
                t.mae(), RegressionMetrics.r2(t.r2()), m.count());
    }
}
