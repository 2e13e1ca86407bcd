package dev.descent.cli;

import dev.descent.checkpoint.Checkpoint;
import dev.descent.checkpoint.CheckpointFile;
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
import picocli.CommandLine;
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
                "2:bad options or input", "130:stopped by Ctrl-C (state saved with --checkpoint)"})
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

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Save the whole training state in DIR every --checkpoint-every epochs, at the end, and on "
                    + "Ctrl-C; continue with --resume DIR.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Epochs between checkpoints (default: 1).")
    int checkpointEvery = 1;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run saved in DIR with its own options, ending exactly as it would have "
                    + "without the interruption.")
    Path resume;

    @Override
    public Integer call() {
        return resume != null ? resume() : train(null);
    }

    /** Re-creates the saved run from its own arguments and continues it. */
    private int resume() {
        var given = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(o -> o.longestName()).filter(n -> !n.equals("--resume") && !n.equals("--quiet")).toList();
        if (!given.isEmpty()) {
            throw new UserError("--resume: the run continues with the options it was started with; leave out "
                    + String.join(", ", given));
        }
        DataOptions.requireExists("--resume", resume);
        Checkpoint saved;
        try {
            saved = CheckpointFile.read(resume);
        } catch (IOException e) {
            throw new UserError("--resume: " + e.getMessage());
        }
        TrainCommand original = new TrainCommand();
        CommandLine cl = new CommandLine(original);
        cl.setOut(spec.commandLine().getOut());
        cl.setErr(spec.commandLine().getErr());
        try {
            cl.parseArgs(saved.args().toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new UserError("--resume: the saved options no longer parse: " + e.getMessage());
        }
        original.quiet |= quiet;
        return original.train(saved);
    }

    /** Trains, from scratch or from {@code saved} (null for a new run). */
    private int train(Checkpoint saved) {
        PrintWriter out = spec.commandLine().getOut();
        checkOutputs(); // before the data is read: a typo in a path should not cost a long load
        Setup setup = Setup.of(data, model, loss, training, split);
        // Read once, for the checkpoint and the model file (a pass over the whole training set).
        String fingerprint = checkpoint == null && save == null ? null : setup.data().fingerprint();
        if (saved != null && !saved.dataFingerprint().isEmpty() && !saved.dataFingerprint().equals(fingerprint)) {
            throw new UserError("--resume: the training data has changed since the run was saved in " + checkpoint
                    + "; a resumed run would not end as the original would have. Start a new run instead.");
        }

        if (!quiet) {
            Setup.printHeader(out, "training", setup.header());
            Warnings.beforeTraining(out, setup, data);
        }
        var trainer = setup.trainer();
        if (!quiet) {
            trainer.listener(new ConsoleReporter(out, System.console() != null, setup.miniBatches())
                    .samples(setup.data().size()));
        }
        FileCheckpoints checkpoints = checkpoint == null ? null
                : new FileCheckpoints(checkpoint, arguments(), fingerprint, checkpointEvery).onInterrupt(System.err);
        if (checkpoints != null) {
            trainer.checkpoints(checkpoints);
        }
        long start = System.nanoTime();
        History result;
        try {
            result = trainer.fit(setup.network(), setup.data(), saved == null ? null : saved.state());
        } finally {
            if (checkpoints != null) {
                checkpoints.close();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (result.interrupted()) {
            out.println("\n" + result.stopReason() + "; the state is saved in " + checkpoint
                    + "; continue with: descent train --resume " + checkpoint);
            out.flush();
            return INTERRUPTED;
        }

        Evaluation test = setup.test() == null || result.diverged() ? null
                : Evaluation.of(setup.network(), setup.loss(), setup.test());
        Contradictions limits = setup.data().size() <= CONTRADICTION_CHECK_LIMIT ? Contradictions.of(setup.data()) : null;
        writeOutputs(setup, result, limits, test, fingerprint);
        return report(out, setup, result, limits, test, seconds);
    }

    /** The exit code of a run stopped by Ctrl-C, as shells report a SIGINT. */
    static final int INTERRUPTED = 130;

    /** This run's arguments as given after {@code train}, to start it again from a checkpoint. */
    private java.util.List<String> arguments() {
        java.util.List<String> args = new java.util.ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals(spec.name())) {
            args.remove(0);
        }
        return args;
    }

    private void checkOutputs() {
        if (checkpoint != null) {
            Parse.atLeastOne("--checkpoint-every", checkpointEvery);
            if (java.nio.file.Files.exists(checkpoint) && !java.nio.file.Files.isDirectory(checkpoint)) {
                throw new UserError("--checkpoint: " + checkpoint + " is a file; give a directory");
            }
        }
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

    private void writeOutputs(Setup setup, History result, Contradictions limits, Evaluation test,
            String fingerprint) {
        try {
            if (history != null) {
                HistoryCsv.write(result, history);
            }
            if (!noPlot) {
                LossPlot picture = new LossPlot("Loss: " + setup.network().describe(), setup.lossLabel(), logScale);
                if (limits != null && limits.any()) {
                    picture.floor(limits.lossFloor(setup.reduction()), "lowest loss this data allows");
                }
                picture.write(result, plot);
            }
            if (save != null && !result.diverged()) {
                var provenance = new java.util.LinkedHashMap<>(setup.provenance(fingerprint));
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
            out.printf((quiet ? "" : "%n") + "final loss %.6f (from %.6f at the start), training accuracy %.1f%% (%d of %d), %d epoch%s "
                    + "in %.2f s%n", last.loss(), first.loss(), 100 * last.accuracy(),
                    Math.round(last.accuracy() * setup.data().size()), setup.data().size(), last.epoch(),
                    last.epoch() == 1 ? "" : "s", seconds);
            Warnings.afterTraining(out, setup, result);
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
