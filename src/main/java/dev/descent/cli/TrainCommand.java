package dev.descent.cli;

import dev.descent.data.Contradictions;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.report.HistoryCsv;
import dev.descent.report.LossPlot;
import dev.descent.train.Evaluation;
import dev.descent.train.History;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code descent train}: train a network and show its loss falling. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network by gradient descent and draw its loss curve.",
                "With no options: the seed example from the thread Descent comes from."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:trained", "1:the loss became NaN or infinite (no model saved)",
                "2:bad options or input"})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    SplitOptions split;

    @Mixin
    ModelOptions model;

    @Mixin
    LossOptions loss;

    @Mixin
    TrainingOptions training;

    @Option(names = "--save", paramLabel = "MODEL", description = "Write the trained model here (JSON).")
    Path save;

    @Option(names = "--history", paramLabel = "FILE.csv", description = "Write epoch, loss and accuracy of every epoch here.")
    Path history;

    @Option(names = "--plot", paramLabel = "FILE", defaultValue = "loss.png",
            description = "Draw the loss curve here, .png or .svg (default: ${DEFAULT-VALUE}).")
    Path plot;

    @Option(names = "--no-plot", description = "Do not draw the loss curve.")
    boolean noPlot;

    @Option(names = "--log-scale", description = "Draw the loss on a logarithmic axis.")
    boolean logScale;

    @Option(names = "--quiet", description = "Print only the final result.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Setup setup = Setup.of(data, model, loss, training, split);
        checkOutputs();

        if (!quiet) {
            Setup.printHeader(out, "training", setup.header());
        }
        var trainer = setup.trainer();
        if (!quiet) {
            trainer.listener(new ConsoleReporter(out, System.console() != null, setup.miniBatches())
                    .samples(setup.data().size()));
        }
        long start = System.nanoTime();
        History result = trainer.fit(setup.network(), setup.data());
        double seconds = (System.nanoTime() - start) / 1e9;

        Evaluation test = setup.test() == null || result.diverged() ? null
                : Evaluation.of(setup.network(), setup.loss(), setup.test());
        Contradictions limits = setup.data().size() <= CONTRADICTION_CHECK_LIMIT ? Contradictions.of(setup.data()) : null;
        writeOutputs(setup, result, limits, test);
        return report(out, setup, result, limits, test, seconds);
    }

    private void checkOutputs() {
        if (save != null) {
            Outputs.check("--save", save);
        }
        if (history != null) {
            Outputs.check("--history", history);
        }
        if (!noPlot) {
            Outputs.check("--plot", plot);
            if (!LossPlot.supports(plot)) {
                throw UserError.badValue("--plot", plot, "must end in .png or .svg");
            }
        }
    }

    /** Larger training sets are not searched for contradictory rows after training (the doctor does it). */
    static final int CONTRADICTION_CHECK_LIMIT = 100_000;

    private void writeOutputs(Setup setup, History result, Contradictions limits, Evaluation test) {
        try {
            if (history != null) {
                HistoryCsv.write(result, history);
            }
            if (!noPlot) {
                LossPlot picture = new LossPlot("Training loss: " + setup.network().describe(), setup.lossLabel(), logScale);
                if (limits != null && limits.any()) {
                    picture.floor(limits.lossFloor(setup.reduction()), "lowest loss this data allows");
                }
                picture.write(result, plot);
            }
            if (save != null && !result.diverged()) {
                var provenance = new java.util.LinkedHashMap<>(setup.provenance());
                provenance.put("finalLoss", result.last().loss());
                provenance.put("finalAccuracy", result.last().accuracy());
                if (result.restoredEpoch() >= 0) {
                    provenance.put("restoredEpoch", result.restoredEpoch());
                }
                if (test != null) {
                    provenance.put("testLoss", test.loss());
                    provenance.put("testAccuracy", test.accuracy());
                }
                ModelFile.write(new Model(setup.network(), setup.start().classNames(), setup.start().standardization(),
                        provenance), save);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int report(PrintWriter out, Setup setup, History result, Contradictions limits, Evaluation test,
            double seconds) {
        History.Row first = result.first(), last = result.last();
        if (result.diverged()) {
            out.printf("%nstopped: %s; the learning rate %s is probably too large (try a smaller --lr)%n",
                    result.stopReason(), setup.learningRate());
        } else {
            out.printf("%nfinal loss %.6f (from %.6f at the start), training accuracy %.1f%% (%d of %d), %d epoch%s "
                    + "in %.2f s%n", last.loss(), first.loss(), 100 * last.accuracy(),
                    Math.round(last.accuracy() * setup.data().size()), setup.data().size(), last.epoch(),
                    last.epoch() == 1 ? "" : "s", seconds);
            if (result.stopReason() != null) {
                out.println("  " + result.stopReason());
            }
            if (result.restoredEpoch() >= 0) {
                History.Row best = result.rows().get(result.restoredEpoch());
                out.printf(java.util.Locale.ROOT, "  kept the parameters of epoch %d, the best validation loss: %.6f "
                        + "(validation accuracy %.1f%%)%n", best.epoch(), best.validationLoss(), 100 * best.validationAccuracy());
            }
            if (last.loss() > first.loss()) {
                out.println("warning: the loss rose; run 'descent doctor' with the same options to find out why");
            }
            if (test != null) {
                out.printf(java.util.Locale.ROOT, "test loss %.6f, test accuracy %.2f%% (%d of %d)%n", test.loss(),
                        100 * test.accuracy(), test.correct(), test.count());
            }
        }
        if (limits != null && limits.any()) {
            out.printf("  this data gives %d input%s two or more labels: no model can beat %.1f%% accuracy "
                            + "or a loss of %.6f%n", limits.groups().size(), limits.groups().size() == 1 ? "" : "s", 100 * limits.maxAccuracy(),
                    limits.lossFloor(setup.reduction()));
        }
        if (!noPlot) {
            out.println("loss curve: " + plot);
        }
        if (history != null) {
            out.println("history: " + history);
        }
        if (save != null && !result.diverged()) {
            out.println("model: " + save);
        }
        out.flush();
        return result.diverged() ? 1 : 0;
    }
}
