package dev.descent.gradcheck;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link SpsaCheck} measured: the cosine and projection of each draw of the estimate against
 * the gradient, the cosine of their mean, and the finite difference's bias at each ε; with what
 * theory predicts for Gaussian directions, and whether the two agree.
 *
 * @param parameters  d
 * @param directions  n, a draw's directions
 * @param h           the estimate's ε
 * @param draws       D
 * @param cosines     each draw's cosine with the gradient
 * @param projections each draw's gᵀĝ/‖g‖²
 * @param meanCosine  the cosine of the mean of the D estimates (nD directions)
 * @param bias        the central difference's median relative error along a direction, per ε
 */
public record SpsaCheckReport(int parameters, int directions, double h, int draws, double[] cosines,
        double[] projections, double meanCosine, List<Bias> bias) {
    /** Slack for a finite ε and float32 forward passes, beyond four standard errors: 5% of the expected value. */
    static final double SLACK = 0.05;

    /** The median of |s(ε) − gᵀz| / |gᵀz| over the directions tried at ε. */
    public record Bias(double epsilon, double relativeError) {}

    public SpsaCheckReport {
        cosines = cosines.clone();
        projections = projections.clone();
        bias = List.copyOf(bias);
    }

    public double cosineMean() {
        return mean(cosines);
    }

    public double cosineSpread() {
        return sd(cosines);
    }

    /** E[cos] for n Gaussian directions in d dimensions. */
    public double expectedCosine() {
        return SpsaCheck.expectedCosine(directions, parameters);
    }

    public double expectedSpread() {
        return SpsaCheck.cosineSpread(directions, parameters);
    }

    /** E[cos] of the mean of the draws, an estimate of nD directions. */
    public double expectedMeanCosine() {
        return SpsaCheck.expectedCosine(directions * draws, parameters);
    }

    public double projectionMean() {
        return mean(projections);
    }

    /** The standard error of the projection's mean in theory: √(2/n) / √D. */
    public double projectionError() {
        return Math.sqrt(2.0 / directions / draws);
    }

    /** Whether the mean cosine is where theory puts it, within four standard errors and {@link #SLACK}. */
    public boolean cosineAgrees() {
        return Math.abs(cosineMean() - expectedCosine())
                <= 4 * expectedSpread() / Math.sqrt(draws) + SLACK * expectedCosine();
    }

    /** Whether the projection's mean is 1 (right sign and scale), within four standard errors and {@link #SLACK}. */
    public boolean projectionAgrees() {
        return Math.abs(projectionMean() - 1) <= 4 * projectionError() + SLACK;
    }

    public boolean passed() {
        return cosineAgrees() && projectionAgrees();
    }

    /** The table of the check, lines ending in newlines. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "cosine between the estimate and backprop's gradient, over %d draws "
                + "(d = %,d, n = %d):%n", draws, parameters, directions));
        sb.append(String.format(Locale.ROOT, "  %-9s %9s %9s %9s %9s%n", "", "mean", "sd", "min", "max"));
        sb.append(String.format(Locale.ROOT, "  %-9s %9.4f %9.4f %9.4f %9.4f%n", "measured", cosineMean(), cosineSpread(),
                Arrays.stream(cosines).min().orElse(0), Arrays.stream(cosines).max().orElse(0)));
        sb.append(String.format(Locale.ROOT, "  %-9s %9.4f %9.4f   (cos² ~ Beta(n/2, (d-1)/2); √(n/d) = %.4f)%n",
                "theory", expectedCosine(), expectedSpread(), Math.sqrt((double) directions / parameters)));
        sb.append(String.format(Locale.ROOT, "projection on the gradient, gᵀĝ/‖g‖²: mean %.4f ± %.4f (theory 1; one "
                + "draw's sd √(2/n) = %.4f)%n", projectionMean(), projectionError(), Math.sqrt(2.0 / directions)));
        sb.append(String.format(Locale.ROOT, "mean of the %d estimates (%,d directions): cosine %.4f (theory %.4f)%n",
                draws, (long) draws * directions, meanCosine, expectedMeanCosine()));
        sb.append(String.format(Locale.ROOT, "%nbias of the central difference along a direction, |s(ε) - gᵀz| / |gᵀz|, "
                + "median of %d directions (ε² would fall 100x a decade):%n", SpsaCheck.BIAS_DIRECTIONS));
        sb.append(String.format(Locale.ROOT, "  %-8s %10s %12s%n", "ε", "bias", "/ next ε"));
        for (int i = 0; i < bias.size(); i++) {
            Bias b = bias.get(i);
            String ratio = i + 1 < bias.size() && bias.get(i + 1).relativeError() > 0
                    ? String.format(Locale.ROOT, "%11.1fx", b.relativeError() / bias.get(i + 1).relativeError()) : "";
            sb.append(String.format(Locale.ROOT, "  %-8.0e %10.2e %12s%n", b.epsilon(), b.relativeError(), ratio));
        }
        return sb.toString();
    }

    /** One line: agreement, or what disagrees. */
    public String summary() {
        if (passed()) {
            return String.format(Locale.ROOT, "the estimate is unbiased (projection %.3f) and as far from the gradient "
                    + "as Gaussian directions put it (mean cosine %.4f, theory %.4f)", projectionMean(), cosineMean(),
                    expectedCosine());
        }
        StringBuilder sb = new StringBuilder();
        if (!cosineAgrees()) {
            sb.append(String.format(Locale.ROOT, "the mean cosine %.4f is not the %.4f of Gaussian directions%s",
                    cosineMean(), expectedCosine(), cosineMean() < 0 ? ": the estimate points uphill (a flipped sign)"
                            : ": the slopes do not belong to the directions the update takes"));
        }
        if (!projectionAgrees()) {
            sb.append(sb.length() > 0 ? "\n" : "").append(String.format(Locale.ROOT, "the projection gᵀĝ/‖g‖² is %.4f, "
                    + "not 1: the estimate's scale is off by that factor", projectionMean()));
        }
        return sb.toString();
    }

    /** The report as {@code --json} gives it. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gradient", "spsa");
        m.put("parameters", parameters);
        m.put("directions", directions);
        m.put("h", h);
        m.put("draws", draws);
        m.put("cosineMean", cosineMean());
        m.put("cosineSd", cosineSpread());
        m.put("expectedCosine", expectedCosine());
        m.put("expectedSd", expectedSpread());
        m.put("projectionMean", projectionMean());
        m.put("meanEstimateCosine", meanCosine);
        m.put("bias", bias.stream().map(b -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epsilon", b.epsilon());
            row.put("relativeError", b.relativeError());
            return row;
        }).toList());
        m.put("passed", passed());
        return m;
    }

    private static double mean(double[] a) {
        return Arrays.stream(a).average().orElse(Double.NaN);
    }

    private static double sd(double[] a) {
        double m = mean(a), s = 0;
        for (double v : a) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (a.length - 1));
    }
}
