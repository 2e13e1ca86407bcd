package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.doctor.DiagnosisJson;
import dev.descent.fused.FusedBackprop;
import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.gradcheck.SpsaCheck;
import dev.descent.loss.Loss;
import dev.descent.modelfile.Model;
import dev.descent.network.Network;
import dev.descent.recipe.Defaults;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Dtype;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code descent gradcheck}: compare backpropagation with central differences, tensor by tensor,
 * through the very step that {@code descent train} runs with the same flags.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check backpropagated gradients against central differences for every parameter tensor.",
                "The gradients are those of the step that train runs with the same options (in float64).",
                "An entry passes when |backprop - numerical| <= atol + rtol * |numerical|."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every tensor passes", "1:some tensor fails", "2:bad options or input"})
public final class GradcheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    ModelOptions model;

    @Option(names = "--model", paramLabel = "FILE", description = "Check this saved model (the same as --init FILE).")
    Path modelFile;

    @Mixin
    LossOptions loss;

    @Option(names = "--dtype", paramLabel = "TYPE",
            description = "The number type train would run in. Either way the check runs in float64 through the "
                    + "same kernels and schedule: central differences keep about 10 digits in float64, 1 in float32.")
    String dtype;

    @Option(names = "--h", paramLabel = "STEP",
            description = "Finite-difference step (default: " + GradientCheck.DEFAULT_H + "; spsa's ε "
                    + Defaults.SPSA_H + " with --gradient spsa).")
    Double h;

    @Option(names = "--gradient", paramLabel = "SOURCE",
            description = "backprop, or spsa: check train --gradient spsa's estimate statistically, its cosine with "
                    + "backprop's gradient over --draws draws against theory, and the bias of its central difference "
                    + "(default: backprop).")
    String gradient;

    @Option(names = "--directions", paramLabel = "N",
            description = "With --gradient spsa: the directions each estimate averages (default: " + Defaults.DIRECTIONS
                    + ").")
    Integer directions;

    @Option(names = "--draws", paramLabel = "N",
            description = "With --gradient spsa: estimates drawn (default: " + SpsaCheck.DEFAULT_DRAWS + ").")
    Integer draws;

    @Option(names = "--rtol", paramLabel = "R",
            description = "Relative tolerance (default: " + GradientCheck.DEFAULT_RTOL + ", as PyTorch's gradcheck).")
    double rtol = GradientCheck.DEFAULT_RTOL;

    @Option(names = "--atol", paramLabel = "A",
            description = "Absolute tolerance (default: " + GradientCheck.DEFAULT_ATOL + ", as PyTorch's gradcheck).")
    double atol = GradientCheck.DEFAULT_ATOL;

    @Option(names = "--max-per-tensor", paramLabel = "N",
            description = "Check at most N entries of each tensor, evenly spread (default: all).")
    Integer maxPerTensor;

    @Option(names = "--samples", paramLabel = "N",
            description = "Check on the first N samples of the data (default: all).")
    Integer samples;

    @Option(names = "--json", description = "Print the report as one JSON document instead of the table.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (modelFile != null) {
            if (model.init != null) {
                throw new UserError("--model: give either --model or --init, not both");
            }
            model.init = modelFile.toString();
        }
        boolean spsa = spsa();
        double step = h == null ? GradientCheck.DEFAULT_H : Parse.positive("--h", h);
        GradientCheck check = new GradientCheck(step, Parse.positive("--rtol", rtol),
                Parse.positive("--atol", atol),
                maxPerTensor == null ? Integer.MAX_VALUE : Parse.atLeastOne("--max-per-tensor", maxPerTensor));
        if (dtype != null) {
            TrainingOptions.parseDtype(dtype);
        }
        Recipe recipe = model.applyTo(loss.applyTo(dataOptions.preset()));
        Dataset all = dataOptions.training();
        recipe = model.withImageShape(recipe, all, dataOptions.imageShape());
        Model start = model.model(all, recipe);
        Dataset data = firstSamples(all);
        if (start.standardization() != null) {
            data = data.standardized(start.standardization());
        }
        Network network = start.network();
        Loss checkedLoss = recipe.loss(data);

        Map<String, String> header = Setup.modelHeader(data, network, recipe.initDescription(), checkedLoss);
        if (spsa) {
            return SpsaGradcheck.run(out, header, network, checkedLoss, data,
                    directions == null ? Defaults.DIRECTIONS : Parse.atLeastOne("--directions", directions), h,
                    dtype == null ? Dtype.FLOAT64 : TrainingOptions.parseDtype(dtype),
                    draws == null ? SpsaCheck.DEFAULT_DRAWS : Parse.atLeastOne("--draws", draws), json);
        }
        FusedBackprop checked = new FusedBackprop(Dtype.FLOAT64);
        boolean fused = FusedBackprop.schedules(network, checkedLoss);
        header.put("checking", fused ? "backprop as train runs it: the fused step, in float64"
                : "backprop as train runs this network: the layers' own backward (the reference schedule)");
        header.put("check", String.format(Locale.ROOT, "central differences with h = %s; pass if |a - n| <= min(%s, "
                + "%s * max|n|) + %s * |n| and the cosine is at least 0.99", step, atol, rtol, rtol));
        if (!json) {
            Setup.printHeader(out, "gradient check", header);
        }
        GradientCheckReport report = check.check(checked, network, checkedLoss, data.featureMatrix(), data.labels());
        if (json) {
            out.println(DiagnosisJson.of(report));
            out.flush();
            return report.passed() ? 0 : 1;
        }
        out.print(report.table());
        out.println();
        int kinks = report.tensors().stream().mapToInt(t -> t.kinks()).sum();
        if (kinks > 0) {
            out.println(kinks + " entries set aside: x ± h put a ReLU unit on both sides of its kink, where no "
                    + "single slope exists");
        }
        if (report.passed()) {
            out.println("PASS: " + report.summary());
        } else {
            out.println("FAIL: " + report.summary().replace("\n", "\nFAIL: "));
        }
        out.flush();
        return report.passed() ? 0 : 1;
    }

    /** Whether --gradient asks for spsa's check; the flags only it reads are refused otherwise. */
    private boolean spsa() {
        String g = gradient == null ? "backprop" : gradient.trim().toLowerCase(Locale.ROOT);
        if (!g.equals("backprop") && !g.equals("spsa")) {
            throw UserError.badValue("--gradient", gradient, "is not backprop or spsa");
        }
        if (!g.equals("spsa") && (directions != null || draws != null)) {
            throw new UserError((directions != null ? "--directions" : "--draws") + ": only used with --gradient spsa");
        }
        if (draws != null && draws < 2) {
            throw UserError.badValue("--draws", draws, "must be at least 2");
        }
        return g.equals("spsa");
    }

    private Dataset firstSamples(Dataset data) {
        if (samples == null) {
            return data;
        }
        return data.head(Parse.atLeastOne("--samples", samples));
    }
}
