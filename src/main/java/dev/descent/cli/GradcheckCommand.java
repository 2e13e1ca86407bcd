package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.doctor.DiagnosisJson;
import dev.descent.fused.FusedBackprop;
import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.loss.Loss;
import dev.descent.modelfile.Model;
import dev.descent.network.Network;
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
            description = "Finite-difference step (default: " + GradientCheck.DEFAULT_H + ").")
    double h = GradientCheck.DEFAULT_H;

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
        GradientCheck check = new GradientCheck(Parse.positive("--h", h), Parse.positive("--rtol", rtol),
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
        FusedBackprop checked = new FusedBackprop(Dtype.FLOAT64);
        boolean fused = FusedBackprop.schedules(network, checkedLoss);
        header.put("checking", fused ? "backprop as train runs it: the fused step, in float64"
                : "backprop as train runs this network: the layers' own backward (the reference schedule)");
        header.put("check", String.format(Locale.ROOT, "central differences with h = %s; pass if |a - n| <= min(%s, "
                + "%s * max|n|) + %s * |n| and the cosine is at least 0.99", h, atol, rtol, rtol));
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

    private Dataset firstSamples(Dataset data) {
        if (samples == null) {
            return data;
        }
        return data.head(Parse.atLeastOne("--samples", samples));
    }
}
