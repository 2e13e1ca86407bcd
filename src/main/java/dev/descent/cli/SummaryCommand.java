package dev.descent.cli;

import dev.descent.Descent;
import dev.descent.io.Terminal;
import dev.descent.modelfile.Model;
import dev.descent.report.ModelSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code descent summary}: what a model file holds, without data. */
@Command(name = "summary", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Describe a saved model: each layer, the width of its output, its parameters and their count, "
                + "the total, the classes (or a regression model's targets), and how the model was trained.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:described", "2:bad options or input"})
public final class SummaryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model, saved by train --save.")
    Path modelFile;

    @Override
    public Integer call() {
        Model model = ModelOptions.readModel("--model", modelFile, null);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Descent " + Descent.VERSION + ": summary of " + Terminal.escape(modelFile.toString()));
        out.println();
        ModelSummary.table(model.network(), model.isRegression()).forEach(line -> out.println("  " + line));
        out.println();
        // Names and provenance come from the file: shown, never acted on by the terminal.
        out.println((model.isRegression() ? "  targets    " : "  classes    ")
                + String.join(", ", model.classNames().stream().map(Terminal::escape).toList()));
        out.println("  features   " + (model.standardization() == null ? "as given"
                : "standardised with the training data's mean and standard deviation"));
        if (model.isRegression()) {
            out.println("  output     linear" + (model.targetStandardization() == null ? ""
                    : ", in standardised units, undone with the training data's target mean and standard deviation"));
        }
        if (!model.training().isEmpty()) {
            out.println();
            out.println("trained");
            for (Map.Entry<String, Object> e : model.training().entrySet()) {
                out.printf(Locale.ROOT, "  %-16s %s%n", Terminal.escape(e.getKey()), Terminal.escape(String.valueOf(e.getValue())));
            }
        }
        out.flush();
        return 0;
    }
}
