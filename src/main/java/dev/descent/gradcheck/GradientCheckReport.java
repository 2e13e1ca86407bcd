package dev.descent.gradcheck;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The result of a gradient check: one {@link TensorCheck} per tensor, and a printable table.
 *
 * @param nonRepeatable when two forward passes at the same parameters differed, the first layer
 *                      that did (the comparisons then measured noise, not slopes), else null
 * @param blame         when tensors failed, the layer whose input gradient, checked in place, is
 *                      wrong (the tensors below it fail through it), else null
 * @param moved         the first parameter entry the source changed while it computed the gradients
 *                      (a source must leave θ as it was; its gradients were compared where it
 *                      started), else null
 */
public record GradientCheckReport(List<TensorCheck> tensors, double h, double rtol, double atol,
        NonRepeatable nonRepeatable, InputBlame blame, String moved) {
    public GradientCheckReport {
        tensors = List.copyOf(tensors);
    }

    /** A report of repeatable passes with no layer blamed. */
    public GradientCheckReport(List<TensorCheck> tensors, double h, double rtol, double atol) {
        this(tensors, h, rtol, atol, null, null, null);
    }

    /**
     * Every tensor passed, on a forward pass that is repeatable (else nothing was really checked), from
     * a source that left the parameters as they were.
     */
    public boolean passed() {
        return nonRepeatable == null && moved == null && tensors.stream().allMatch(TensorCheck::passed);
    }

    public List<TensorCheck> failures() {
        return tensors.stream().filter(t -> !t.passed()).toList();
    }

    /** The tensor of that name; throws if there is none. */
    public TensorCheck tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tensor named " + name));
    }

    /** Entries set aside, over all tensors, because x ± h fell on different sides of a kink. */
    public int kinks() {
        return tensors.stream().mapToInt(TensorCheck::kinks).sum();
    }

    /**
     * {@code 3 entries (W1 2, b1 1) at a ReLU kink set aside, not compared}: where the difference
     * quotient is neither side's slope; empty when there were none.
     */
    public String kinkNote() {
        if (kinks() == 0) {
            return "";
        }
        String per = tensors.stream().filter(t -> t.kinks() > 0).map(t -> t.name() + " " + t.kinks())
                .collect(Collectors.joining(", "));
        return kinks() + (kinks() == 1 ? " entry" : " entries") + " (" + per
                + ") at a kink (a ReLU unit switching on or off) set aside, not compared and not failed";
    }

    /**
     * What is wrong, one line each: a forward pass that is not repeatable; else the layer whose input
     * gradient is wrong, then each failing tensor; or that all agree.
     */
    public String summary() {
        if (nonRepeatable != null) {
            return String.format(Locale.ROOT, "the forward pass is not repeatable: %s gave different outputs for the "
                    + "same input (losses %.10g and %.10g), so every central difference measured the noise between "
                    + "two passes, not the slope; make it draw its random numbers from a seed it is given, then "
                    + "check again", nonRepeatable.where(), nonRepeatable.firstLoss(), nonRepeatable.secondLoss());
        }
        if (passed()) {
            return "backprop and central differences agree on every tensor";
        }
        if (moved != null) {
            String agree = tensors.stream().allMatch(TensorCheck::passed) ? ", though its gradients agree with the "
                    + "central differences at the parameters it started from" : "";
            return "the gradient source changed the parameters while it computed the gradients (first " + moved
                    + "), where it must leave them as they were: it updates while the gradient is still being "
                    + "measured" + agree;
        }
        String tensors = failures().stream().map(TensorCheck::diagnosis).collect(Collectors.joining("\n"));
        return blame == null ? tensors : blameLine() + "\n" + tensors;
    }

    /** The layer whose input gradient is wrong, and the tensors below it that fail through it. */
    private String blameLine() {
        String below = String.join(", ", blame.through());
        return "the input gradient of " + blame.where() + " is wrong, checked in place on the input it receives: "
                + "it " + blame.input().fault()
                + "; the tensors below it (" + below + ") fail through it, not through their own backward";
    }

    /** The table: tensor, shape, entries checked, kinks, errors, cosine, worst entry, result. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-8s  %-9s  %13s  %6s  %11s  %11s  %9s  %-36s  %s%n", "tensor", "shape",
                "checked", "kinks", "max abs err", "max rel err", "cosine", "worst entry: backprop / numerical",
                "result"));
        for (TensorCheck t : tensors) {
            String worst = t.worstIndex() < 0 ? "-"
                    : String.format(Locale.ROOT, "%s: %.6g / %.6g", t.worstEntry(), t.worstAnalytic(), t.worstNumerical());
            sb.append(String.format(Locale.ROOT, "%-8s  %-9s  %13s  %6d  %11.2e  %11.2e  %9.6f  %-36s  %s%n", t.name(),
                    t.rows() + "x" + t.cols(), t.checked() + "/" + t.size(), t.kinks(), t.maxAbsError(),
                    t.maxRelError(), t.cosine(), worst, t.passed() ? "PASS" : "FAIL"));
        }
        return sb.toString();
    }

    /** The table followed by the summary. */
    @Override
    public String toString() {
        return table() + summary();
    }
}
