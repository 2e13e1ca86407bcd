package dev.descent.cli;

import dev.descent.checkpoint.Checkpoint;
import dev.descent.checkpoint.CheckpointFile;
import dev.descent.checkpoint.CheckpointLock;
import dev.descent.io.PathRules;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.report.HistoryCsv;
import dev.descent.report.LossPlot;
import dev.descent.train.History;
import dev.descent.train.TimeBudget;
import dev.descent.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code descent train}: train a network and show its loss falling. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network by gradient descent and draw its loss curve.",
                "With no options: the seed example from the thread Descent comes from."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:trained", "1:the loss became NaN or infinite (no model saved)",
                "2:bad options or input", "74:an output could not be written (disk full)",
                "130:stopped by Ctrl-C (state saved with --checkpoint)"})
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

    @Mixin
    LiveOptions liveOptions;

    /** The page of this run (--live, --report); does nothing without them. */
    private LiveSession live;

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

    @Option(names = "--json", description = "At the end, print a summary of the run as JSON on standard output; "
            + "what is otherwise printed goes to standard error.")
    boolean json;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Save the whole training state in DIR every --checkpoint-every epochs, at the end, and on "
                    + "Ctrl-C; continue with --resume DIR.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Epochs between checkpoints (default: 1).")
    int checkpointEvery = 1;

    @Option(names = "--max-time", paramLabel = "SECONDS",
            description = "Stop before an epoch that would end after this many seconds of training, keeping every "
                    + "finished epoch (the model is written as for any run that stops early).")
    Double maxTime;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run saved in DIR with its own options, ending exactly as it would have "
                    + "without the interruption.")
    Path resume;

    @Override
    public Integer call() {
        return resume != null ? resume() : train(null);
    }

    /** Re-creates the saved run from its own arguments and continues it, saving back to the same directory. */
    private int resume() {
        var given = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(o -> o.longestName()).filter(n -> !n.equals("--resume") && !n.equals("--quiet") && !n.equals("--json")
                        && !n.equals("--live") && !n.equals("--report"))
                .toList();
        if (!given.isEmpty()) {
            throw new UserError("--resume: the run continues with the options it was started with; leave out "
                    + String.join(", ", given));
        }
        DataOptions.requireExists("--resume", resume);
        if (!Files.isDirectory(resume)) {
            throw new UserError("--resume: " + resume + " is a file; give the run's checkpoint directory");
        }
        Checkpoint saved;
        try {
            saved = CheckpointFile.read(resume);
        } catch (IOException e) {
            throw new UserError("--resume: " + e.getMessage());
        }
        TrainCommand original = new TrainCommand();
        CommandLine cl = Main.strictNumbers(new CommandLine(original));
        cl.setOut(spec.commandLine().getOut());
        cl.setErr(spec.commandLine().getErr());
        try {
            cl.parseArgs(saved.args().toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new UserError("--resume: the saved options no longer parse: " + e.getMessage());
        }
        if (original.checkpoint != null || original.resume != null) {
            throw new UserError("--resume: " + CheckpointFile.in(resume) + ": args must not name --checkpoint or "
                    + "--resume; the run is continued in the directory it is resumed from");
        }
        original.checkpoint = resume;
        original.quiet |= quiet;
        original.json |= json;
        original.liveOptions = liveOptions;
        return original.train(saved);
    }

    /** Trains, from scratch or from {@code saved} (null for a new run). */
    private int train(Checkpoint saved) {
        checkOptions();
        checkPaths(); // before the data is read: a typo in a path should not cost a long load
        try (CheckpointLock lock = lockCheckpoint(saved); LiveSession page = LiveSession.open(liveOptions)) {
            live = page;
            return trainLocked(saved);
        } catch (IOException e) {
            throw new UserError("--checkpoint: " + checkpoint + ": cannot release the lock (" + e.getMessage() + ")");
        }
    }

    /**
     * Takes the checkpoint directory for this run (null without {@code --checkpoint}): locked while
     * the run lasts, and, for a new run, without a saved run in it already.
     */
    private CheckpointLock lockCheckpoint(Checkpoint saved) {
        if (checkpoint == null) {
            return null;
        }
        CheckpointLock lock;
        try {
            lock = CheckpointLock.acquire(checkpoint);
        } catch (IOException e) {
            throw new UserError("--checkpoint: " + e.getMessage());
        }
        if (saved == null && Files.exists(CheckpointFile.in(checkpoint))) {
            try {
                lock.close();
            } catch (IOException ignored) {
                // refusing anyway
            }
            throw new UserError("--checkpoint: " + checkpoint + " already holds a saved run; continue it with "
                    + "descent train --resume " + checkpoint + ", or give another directory");
        }
        return lock;
    }

    private int trainLocked(Checkpoint saved) {
        // With --json, standard output holds the JSON alone.
        PrintWriter out = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        Setup setup = Setup.of(data, model, loss, training, split, checkpoint != null);
        Outputs.savable("--save", save, setup); // what a model file could not hold, before the work
        // Read once, for the checkpoint and the model file (a pass over the whole training set).
        String fingerprint = checkpoint == null && save == null ? null : setup.data().fingerprint();
        Trainer trainer = setup.trainer();
        if (saved != null) {
            checkResumable(saved, setup, fingerprint, trainer);
        }
        announce(out, setup, fingerprint);
        List<History.Row> earlier = saved == null ? List.of() : saved.state().rows();
        watch(trainer, out, setup, earlier);
        FileCheckpoints checkpoints = checkpoint == null ? null
                : new FileCheckpoints(checkpoint, runId(saved), arguments(), fingerprint, checkpointEvery)
                        .onInterrupt(System.err);
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
        Outcome outcome = Outcome.of(setup, result, seconds);
        writeOutputs(outcome, fingerprint);
        if (!outcome.diverged()) {
            evaluate(outcome);
        }
        live.ended(outcome.endStatus(), seconds);
        outcome.print(out, quiet);
        printFiles(out, outcome);
        if (json) {
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.println(Json.write(outcome.json(files(outcome))));
            stdout.flush();
        }
        live.serve(out);
        return outcome.exitCode();
    }

    /** A saved run continues only on the same data, with the same network, epochs, batches and optimizer. */
    private void checkResumable(Checkpoint saved, Setup setup, String fingerprint, Trainer trainer) {
        if (!saved.dataFingerprint().equals(fingerprint)) {
            throw new UserError("--resume: the training data has changed since the run was saved in " + checkpoint
                    + "; a resumed run would not end as the original would have. Start a new run instead.");
        }
        try {
            CheckpointFile.checkFits(saved, setup.network().snapshot(), setup.recipe().epochs(), setup.data().size(),
                    setup.batchesPerEpoch(), trainer.optimizer().state());
        } catch (IllegalArgumentException e) {
            throw new UserError("--resume: " + CheckpointFile.in(checkpoint) + ": " + e.getMessage());
        }
    }

    /** The header and the data's warnings (or, --quiet, only where the page is), and the page's first event. */
    private void announce(PrintWriter out, Setup setup, String fingerprint) {
        Map<String, String> header = setup.header();
        live.header(header);
        live.started("training", header, setup.provenance(fingerprint), setup.recipe().epochs(), setup.lossLabel());
        if (quiet) {
            live.announce(out);
            return;
        }
        Setup.printHeader(out, "training", header);
        live.findings(Warnings.beforeTraining(out, setup, data));
    }

    /** What watches the run: the table of epochs, the history and picture as they grow, the page. */
    private void watch(Trainer trainer, PrintWriter out, Setup setup, List<History.Row> earlier) {
        if (!quiet) {
            trainer.listener(Regression.unitsError(new ConsoleReporter(out, System.console() != null,
                    setup.miniBatches()).samples(setup.data().size()), setup));
        }
        if (history != null || !noPlot) {
            trainer.listener(new LiveOutputs(history, noPlot ? null : lossPlot(setup, null), plot, earlier));
        }
        trainer.listener(live.recorder(setup, LiveSession.copyOf(setup, trainer.optimizer()), earlier));
        if (maxTime != null) {
            trainer.listener(new TimeBudget(Duration.ofNanos((long) (maxTime * 1e9))));
        }
    }

    /**
     * The saved run's id, or a new random one: asked for only with {@code --checkpoint}, as the
     * first {@link UUID#randomUUID()} seeds a SecureRandom (milliseconds of every run's start).
     */
    private static String runId(Checkpoint saved) {
        return saved != null ? saved.run() : UUID.randomUUID().toString();
    }

    /** The page's evaluation: of the test set, else the validation set, else the training data. */
    private void evaluate(Outcome outcome) {
        Setup setup = outcome.setup();
        if (outcome.test() != null) {
            live.evaluation("test set: " + setup.test().summary(), setup, setup.test(), outcome.testErrors());
        } else if (setup.validation() != null) {
            live.evaluation("validation set: " + setup.validation().size() + " samples held out", setup,
                    setup.validation(), null);
        } else {
            live.evaluation("training data: " + setup.data().summary(), setup, setup.data(), outcome.trainingErrors());
        }
    }

    /** The files the run wrote, as {@code --json} lists them. */
    private Map<String, Object> files(Outcome outcome) {
        Map<String, Object> files = new LinkedHashMap<>();
        if (save != null && !outcome.diverged()) {
            files.put("model", save.toString());
        }
        if (history != null) {
            files.put("history", history.toString());
        }
        if (!noPlot) {
            files.put("plot", plot.toString());
        }
        return files;
    }

    /** Where the picture, the history and the model went. */
    private void printFiles(PrintWriter out, Outcome outcome) {
        if (!noPlot) {
            out.println("loss curve: " + plot);
        }
        if (history != null) {
            out.println("history: " + history);
        }
        if (save != null && !outcome.diverged()) {
            out.println("model: " + save);
        }
        out.flush();
    }

    /** The exit code of a run stopped by Ctrl-C, as shells report a SIGINT. */
    static final int INTERRUPTED = 130;

    /**
     * This run's arguments, to start it again from a checkpoint: as given after {@code train}, with
     * every path made absolute (so a run resumed from another directory reads and writes the same
     * files), and without {@code --checkpoint}, which is wherever the run is resumed from.
     */
    private List<String> arguments() {
        List<String> args = new ArrayList<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            String name = o.longestName();
            if (name.equals("--checkpoint") || name.equals("--resume") || name.equals("--live")
                    || name.equals("--report")) {
                continue;
            }
            if (o.arity().max() == 0) {
                args.add(name);
                continue;
            }
            for (String value : o.originalStringValues()) {
                boolean file = o.type() == Path.class || name.equals("--init") && model.initFromFile();
                args.add(name);
                args.add(file && !value.equals(PathRules.STANDARD_STREAM) ? Path.of(value).toAbsolutePath().toString()
                        : value);
            }
        }
        return args;
    }

    /** Refuses options that would be silently ignored. */
    private void checkOptions() {
        var parsed = spec.commandLine().getParseResult();
        if (noPlot && parsed.hasMatchedOption("--plot")) {
            throw new UserError("--plot: no loss curve is drawn with --no-plot; give one or the other");
        }
        if (noPlot && logScale) {
            throw new UserError("--log-scale: no loss curve is drawn with --no-plot; give one or the other");
        }
        if (checkpoint == null && parsed.hasMatchedOption("--checkpoint-every")) {
            throw new UserError("--checkpoint-every: only used with --checkpoint DIR");
        }
        if (maxTime != null && !(maxTime > 0 && maxTime < 1e9)) {
            throw UserError.badValue("--max-time", maxTime, "must be a positive number of seconds");
        }
    }

    /** Every output can be written, none is an input or another output. */
    private void checkPaths() {
        PathRules paths = new PathRules();
        data.inputs(paths, "--data", data.data);
        if (split.test != null) {
            data.inputs(paths, "--test", split.test);
        }
        if (model.initFromFile()) {
            model.applyTo(data.preset());
            paths.input("--init", Path.of(model.init));
        }
        if (checkpoint != null) {
            Parse.atLeastOne("--checkpoint-every", checkpointEvery);
            if (Files.exists(checkpoint) && !Files.isDirectory(checkpoint)) {
                throw new UserError("--checkpoint: " + checkpoint + " is a file; give a directory");
            }
            if (Files.isDirectory(checkpoint)) {
                CheckpointFile.files(checkpoint).forEach(f -> paths.output("--checkpoint", f)); // its lock too
            }
        }
        paths.output("--save", save).output("--history", history);
        liveOptions.check(paths);
        if (!noPlot) {
            paths.output("--plot", plot);
            if (!LossPlot.supports(plot)) {
                throw UserError.badValue("--plot", plot, "must end in .png or .svg");
            }
        }
        Outputs.distinct(paths);
    }

    /**
     * Writes the model first, then the history and the plot; every one is tried even when another
     * fails (a full disk for the picture must not cost the model), and the first failure is reported.
     */
    private void writeOutputs(Outcome outcome, String fingerprint) {
        Setup setup = outcome.setup();
        History result = outcome.history();
        WriteFailure failed = null;
        if (save != null && !result.diverged()) {
            Map<String, Object> provenance = new LinkedHashMap<>(setup.provenance(fingerprint));
            provenance.putAll(outcome.provenance());
            Model model = new Model(setup.network(), setup.start().classNames(), setup.start().standardization(),
                    provenance, setup.start().output(), setup.start().targetStandardization(), setup.start().encoding());
            failed = write("--save", save, () -> ModelFile.write(model, save), failed);
        }
        if (history != null) {
            failed = write("--history", history, () -> HistoryCsv.write(result, history), failed);
        }
        if (!noPlot) {
            LossPlot picture = lossPlot(setup, outcome);
            failed = write("--plot", plot, () -> picture.write(result, plot), failed);
        }
        if (failed != null) {
            throw failed;
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    private static WriteFailure write(String flag, Path path, Write write, WriteFailure earlier) {
        try {
            write.run();
            return earlier;
        } catch (IOException e) {
            return earlier != null ? earlier : new WriteFailure(flag, path, e);
        }
    }

    /** The loss curve's picture, with the floor that contradictory data puts under the loss when known. */
    private LossPlot lossPlot(Setup setup, Outcome outcome) {
        LossPlot picture = new LossPlot("Loss: " + Setup.describe(setup.network(), setup.regression()), setup.lossLabel(),
                logScale);
        if (outcome != null && outcome.limited()) {
            picture.floor(outcome.limits().lossFloor(setup.reduction()), "lowest loss this data allows");
        }
        return picture;
    }
}
