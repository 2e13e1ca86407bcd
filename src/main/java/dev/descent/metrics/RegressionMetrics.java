package dev.descent.metrics;

import dev.descent.data.Batches;
import dev.descent.data.Dataset;
import dev.descent.data.Standardization;
import dev.descent.io.Terminal;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well predicted values match true ones, per target: mean squared error, its root, mean
 * absolute error, and the coefficient of determination
 * {@code R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²} (scikit-learn's {@code r2_score}): 1 is perfect, 0 is
 * no better than predicting the mean of the true values, below 0 is worse than that. Fed a row at
 * a time, so a set of any size is measured in one pass (sums, then sums of squares about a
 * running mean by Welford's update).
 */
public final class RegressionMetrics {
    /** The numbers of one target. */
    public record Target(String name, double mse, double rmse, double mae, double r2) {}

    private final List<String> names;
    private final double[] sq, abs, mean, m2;
    private long n;
    // kept for the picture: true and predicted values of the first target, up to a limit
    private final List<double[]> points = new ArrayList<>();
    public static final int MAX_POINTS = 20_000;

    /** Rows per forward pass when measuring a large set. */
    static final int BATCH = 1000;

    /**
     * The metrics of {@code network} on {@code data} (its features as the network takes them),
     * both its predictions and the set's targets taken back to the targets' units by
     * {@code targets} (null: they are in them already); {@code truthStandardized} false when the
     * set's targets are raw and only the predictions need undoing.
     *
     * @throws IllegalArgumentException naming the row, when the network's outputs overflow
     */
    public static RegressionMetrics of(Network network, Dataset data, Standardization targets,
            boolean truthStandardized) {
        RegressionMetrics m = new RegressionMetrics(data.classNames());
        Matrix truth = data.rowTargets();
        if (targets != null && truthStandardized) {
            targets.undoInPlace(truth, truth.rows());
        }
        Batches.inOrder(data.features(), BATCH, (from, x) -> {
            Matrix y = network.forward(x).copy();
            Overflows.refuse(y, from);
            if (targets != null) {
                targets.undoInPlace(y, y.rows());
            }
            for (int r = 0; r < x.rows(); r++) {
                m.add(truth.data(), (from + r) * truth.cols(), y.data(), r * y.cols());
            }
        });
        return m;
    }

    public RegressionMetrics(List<String> names) {
        this.names = List.copyOf(names);
        int t = names.size();
        sq = new double[t];
        abs = new double[t];
        mean = new double[t];
        m2 = new double[t];
    }

    /** Adds one row: true values y and predictions p, t each, from {@code yOff} and {@code pOff}. */
    public void add(double[] y, int yOff, double[] p, int pOff) {
        n++;
        for (int j = 0; j < names.size(); j++) {
            double truth = y[yOff + j], d = p[pOff + j] - truth;
            sq[j] += d * d;
            abs[j] += Math.abs(d);
            double delta = truth - mean[j];
            mean[j] += delta / n;
            m2[j] += delta * (truth - mean[j]);
        }
        if (points.size() < MAX_POINTS) {
            double[] pair = new double[2 * names.size()];
            for (int j = 0; j < names.size(); j++) {
                pair[2 * j] = y[yOff + j];
                pair[2 * j + 1] = p[pOff + j];
            }
            points.add(pair);
        }
    }

    public List<Target> targets() {
        List<Target> out = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            double mse = sq[j] / n;
            out.add(new Target(names.get(j), mse, Math.sqrt(mse), abs[j] / n, m2[j] > 0 ? 1 - sq[j] / m2[j] : Double.NaN));
        }
        return out;
    }

    public long count() {
        return n;
    }

    /** The true and predicted values of target j for the rows seen (the first {@link #MAX_POINTS}): {true, predicted}. */
    public double[][] points(int j) {
        double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            xy[0][i] = points.get(i)[2 * j];
            xy[1][i] = points.get(i)[2 * j + 1];
        }
        return xy;
    }

    /** The targets' names, in order. */
    public List<String> names() {
        return names;
    }

    /**
     * A table for a terminal: one line per target, its name escaped ({@link Terminal#escape}); an
     * R² that is undefined (the true values never vary) is written {@code undefined}, not NaN.
     */
    public String table() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-16s %14s %14s %14s %10s%n", "target", "MSE",
                "RMSE", "MAE", "R²"));
        for (Target t : targets()) {
            b.append(String.format(Locale.ROOT, "%-16s %14.6g %14.6g %14.6g %10s%n", Terminal.escape(t.name()), t.mse(),
                    t.rmse(), t.mae(), r2(t.r2())));
        }
        return b.toString();
    }

    /**
     * R² as text: four decimals, or {@code undefined} where it has no value (NaN: the true values
     * never vary), as JSON writes null.
     */
    public static String r2(double r2) {
        return Double.isNaN(r2) ? UNDEFINED : String.format(Locale.ROOT, "%.4f", r2);
    }

    /** How an R² that no number can give is written in text; JSON writes null. */
    public static final String UNDEFINED = "undefined";
}
