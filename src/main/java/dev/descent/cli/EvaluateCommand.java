package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.io.PathRules;
import dev.descent.live.Events;
import dev.descent.io.Terminal;
import dev.descent.modelfile.Model;
import dev.descent.metrics.ConfusionMatrix;
import dev.descent.report.ConfusionMatrixPlot;
import dev.descent.report.PredictionPlot;
import dev.descent.report.RocPlot;
import dev.descent.metrics.RegressionMetrics;
import dev.descent.metrics.Scores;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code descent evaluate}: loss, accuracy, per-class precision and recall, confusion matrix; a regression model's errors. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a saved model on labelled data: loss, accuracy, per-class precision and recall, "
                + "and the confusion matrix, printed and drawn as a heat map. A regression model: MSE, RMSE, MAE "
                + "and R² per target, and predicted against true values drawn.",
                "An IDX directory is evaluated on its t10k (test) files."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:evaluated", "2:bad options or input",
                "74:the confusion matrix could not be written (disk full)"})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model, saved by train --save.")
    Path modelFile;

    @Mixin
    DataOptions data;

    @Option(names = "--confusion", paramLabel = "FILE.png", defaultValue = "confusion.png",
            description = "Draw the confusion matrix here, or for a regression model predicted against true values "
                    + "(default: ${DEFAULT-VALUE}).")
    Path confusion;

    @Option(names = "--no-plot", description = "Do not draw the confusion matrix.")
    boolean noPlot;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Write the evaluation as a page here, in one self-contained HTML file: the model's "
                    + "provenance and, for a classifier, accuracy, the confusion matrix and per-class metrics; for a "
                    + "regression model, each target's errors and the predicted-against-true picture.")
    Path report;

    @Option(names = "--json", description = "Print the results as JSON on standard output, and nothing else: loss, "
            + "accuracy, balanced accuracy, macro and weighted precision, recall and F1, per-class precision, recall "
            + "and F1, the ROC AUC of a two-class model, and the confusion matrix (for a regression model, "
            + "MSE, RMSE, MAE and R² per target).")
    boolean json;

    @Option(names = "--top-k", paramLabel = "K",
            description = "Also give the top-K accuracy: the share of rows whose true class is among the K most "
                    + "probable.")
    Integer topK;

    @Option(names = "--roc", paramLabel = "FILE.png",
            description = "Draw the ROC curve of a two-class model here (.png or .svg): the second class's "
                    + "probability as the score, as scikit-learn takes the larger label as positive.")
    Path roc;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (noPlot && spec.commandLine().getParseResult().hasMatchedOption("--confusion")) {
            throw new UserError("--confusion: no confusion matrix is drawn with --no-plot; give one or the other");
        }
        PathRules paths = new PathRules().input("--model", modelFile);
        data.inputs(paths, "--data", data.data);
        if (report != null) {
            paths.output("--report", report);
            LiveOptions.checkReportName("--report", report);
            if (noPlot) {
                Outputs.distinct(paths);
            }
        }
        if (roc != null) {
            paths.output("--roc", roc);
            if (!dev.descent.report.LossPlot.supports(roc)) {
                throw UserError.badValue("--roc", roc, "must end in .png or .svg");
            }
            Outputs.distinct(paths);
        }
        if (!noPlot) {
            Outputs.distinct(paths.output("--confusion", confusion));
            if (!confusion.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
                throw UserError.badValue("--confusion", confusion, "must end in .png");
            }
        }
        if (topK != null) {
            Parse.atLeastOne("--top-k", topK);
        }
        data.columns.refuseForModel();
        Model model = ModelOptions.readModel("--model", modelFile, null);
        checkClassFlags(model);
        if (!model.isRegression() && data.regression()) {
            throw new UserError("--task: " + modelFile + " is a classifier; leave out --task regression");
        }
        if (model.isRegression()) {
            data.task = "regression";
        }
        Dataset set = labelled(model);
        if (set.featureCount() != model.network().inputSize()) {
            throw new UserError("--data: " + (data.data == null ? "the seed example" : data.data) + " has "
                    + set.featureCount() + " features but " + modelFile
                    + " takes " + model.network().inputSize());
        }
        Map<String, String> header = new LinkedHashMap<>();
        header.put("model", Terminal.escape(modelFile.toString()) + " (" + Setup.describe(model.network(),
                model.isRegression()) + ")");
        header.put("data", set.summary());
        if (!json) {
            Setup.printHeader(out, "evaluate", header);
        }
        Scores scores = score(model, set);
        if (scores instanceof Scores.Targets targets) {
            return regression(out, header, model, set, targets.errors());
        }
        Scores.Classes e = (Scores.Classes) scores;
        ConfusionMatrix matrix = e.confusion();
        writeReport(header, model, Events.evaluation("data: " + set.summary(), e),
                String.format(Locale.ROOT, "accuracy %.2f%% (%d of %d)", 100 * e.accuracy(), e.correct(), e.samples()));
        if (roc != null) {
            try {
                RocPlot.write(e.roc(), model.classNames().get(1), "ROC: " + modelFile.getFileName() + " on "
                        + (data.data == null ? "the seed example" : data.data.getFileName()), roc);
            } catch (IOException ex) {
                throw new WriteFailure("--roc", roc, ex);
            }
        }
        if (json) {
            out.println(Json.write(results(set, e, matrix)));
        } else {
            out.printf(Locale.ROOT, "loss %.6f (mean per sample), accuracy %.2f%% (%d of %d)%n", e.loss(),
                    100 * e.accuracy(), e.correct(), e.samples());
            out.println(ClassMetrics.summary(e, topK));
            out.println();
            out.print(matrix.table());
        }
        if (!noPlot) {
            try {
                ConfusionMatrixPlot.write(matrix, confusion, "Confusion matrix: " + modelFile.getFileName() + " on "
                        + (data.data == null ? "the seed example" : data.data.getFileName()));
            } catch (IOException ex) {
                throw new WriteFailure("--confusion", confusion, ex);
            }
            if (!json) {
                out.println();
                out.println("confusion matrix picture: " + confusion);
            }
        }
        if (roc != null && !json) {
            out.println("ROC curve picture: " + roc);
        }
        if (report != null && !json) {
            out.println("report: " + report);
        }
        out.flush();
        return 0;
    }

    /** --top-k and --roc ask for what a classifier has: at most its classes, and a curve only of two. */
    private void checkClassFlags(Model model) {
        if (model.isRegression()) {
            if (topK != null || roc != null) {
                throw new UserError((topK != null ? "--top-k" : "--roc") + ": " + modelFile
                        + " is a regression model; it has no classes to rank");
            }
            return;
        }
        int k = model.classNames().size();
        if (topK != null && topK > k) {
            throw UserError.badValue("--top-k", topK, "is more than the " + k + " classes of " + modelFile);
        }
        if (roc != null && k != 2) {
            throw new UserError("--roc: " + modelFile + " has " + k + " classes; a ROC curve is drawn for two");
        }
    }

    /**
     * What the model scores on {@code set} (the library's {@code Model.evaluate}, which standardises
     * the features and takes predictions back to the targets' units), or a one-line error.
     */
    private Scores score(Model model, Dataset set) {
        if (model.isRegression() && !set.classNames().equals(model.classNames())) {
            throw new UserError("--data: " + data.data + " has targets " + set.classNames() + " but " + modelFile
                    + " predicts " + model.classNames() + "; name them with --label");
        }
        try {
            return model.evaluate(set);
        } catch (IllegalArgumentException e) {
            throw new UserError("--data: " + e.getMessage());
        }
    }

    /** MSE, RMSE, MAE and R² per target in the targets' own units, and predicted against true drawn. */
    private int regression(PrintWriter out, Map<String, String> header, Model model, Dataset set,
            RegressionMetrics m) {
        RegressionMetrics.Target first = m.targets().get(0);
        writeReport(header, model, Events.regressionEvaluation("data: " + set.summary(), m),
                String.format(Locale.ROOT, "%s: RMSE %.4g, R² %s", first.name(), first.rmse(),
                        RegressionMetrics.r2(first.r2())));
        if (json) {
            out.println(Json.write(regressionResults(set, m)));
        } else {
            out.print(m.table());
        }
        if (!noPlot) {
            try {
                PredictionPlot.write(m, "Predicted against true: " + modelFile.getFileName() + " on "
                        + data.data.getFileName(), confusion);
            } catch (IOException ex) {
                throw new WriteFailure("--confusion", confusion, ex);
            }
            if (!json) {
                out.println();
                out.println("predicted against true picture: " + confusion);
            }
        }
        out.flush();
        return 0;
    }

    /** A regression model's evaluation as {@code --json} prints it: each target's errors, in its own units. */
    private Map<String, Object> regressionResults(Dataset set, RegressionMetrics m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", modelFile.toString());
        r.put("data", set.summary());
        r.put("samples", m.count());
        r.put("targets", Regression.json(m)); // r2 null where the true values never vary
        r.put("plot", noPlot ? null : confusion.toString());
        return r;
    }

    /** The page of this evaluation, with --report. */
    private void writeReport(Map<String, String> header, Model model, Map<String, Object> evaluation, String status) {
        if (report == null) {
            return;
        }
        LiveOptions options = new LiveOptions();
        options.report = report;
        try (LiveSession page = LiveSession.open(options)) {
            page.started("evaluation", header, model.training(), 0, "loss (mean per sample)");
            page.evaluation(evaluation);
            page.ended(status, 0);
        }
    }

    /** The evaluation as {@code --json} prints it. */
    private Map<String, Object> results(Dataset set, Scores.Classes e, ConfusionMatrix matrix) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", modelFile.toString());
        r.put("data", set.summary());
        r.put("samples", e.samples());
        r.put("loss", Json.number(e.loss()));
        r.put("accuracy", Json.number(e.accuracy()));
        r.put("correct", e.correct());
        ClassMetrics.json(r, e, topK);
        List<Object> classes = new ArrayList<>();
        for (int c = 0; c < matrix.classes().size(); c++) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("class", matrix.classes().get(c));
            k.put("precision", Json.number(matrix.precision(c)));
            k.put("recall", Json.number(matrix.recall(c)));
            k.put("f1", Json.number(matrix.f1(c)));
            k.put("support", matrix.support(c));
            classes.add(k);
        }
        r.put("classes", classes);
        List<long[]> rows = new ArrayList<>();
        for (int t = 0; t < matrix.classes().size(); t++) {
            long[] row = new long[matrix.classes().size()];
            for (int p = 0; p < row.length; p++) {
                row[p] = matrix.count(t, p);
            }
            rows.add(row);
        }
        r.put("confusion", rows); // rows: true class, columns: predicted class, both in the order of "classes"
        r.put("confusionPlot", noPlot ? null : confusion.toString());
        if (roc != null) {
            r.put("rocPlot", roc.toString());
        }
        return r;
    }

    private Dataset labelled(Model model) {
        if (data.data == null) {
            if (model.isRegression()) {
                throw new UserError("--data: give the CSV file with the targets to evaluate this regression model on");
            }
            return SeedExample.dataset();
        }
        return data.labelled("--data", data.data, model.classNames(), "the model", model.encoding());
    }
}
