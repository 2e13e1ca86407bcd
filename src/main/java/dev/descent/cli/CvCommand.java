package dev.descent.cli;

import dev.descent.data.CsvDataset;
import dev.descent.data.Dataset;
import dev.descent.data.Folds;
import dev.descent.doctor.ClassBalance;
import dev.descent.fused.FusedBackprop;
import dev.descent.io.AtomicFiles;
import dev.descent.io.PathRules;
import dev.descent.io.Terminal;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Parallel;
import dev.descent.train.History;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code descent cv}: K-fold cross-validation of the run that {@code train}'s options describe,
 * stratified and seeded, repeated with other shuffles; and a small grid of settings, each run on
 * the same folds and ranked. Every fold is a run as {@code train} makes it ({@link Setup}): its
 * columns encoded and its features standardised with its own training rows' statistics, the
 * held-out fold read by them, so that nothing of the fold leaks into its model.
 */
@Command(name = "cv", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cross-validate a run: train on K-1 folds of the data and score on the one left out, K times "
                + "(stratified by class, seeded by --seed), and give each fold's figures with their mean and "
                + "standard deviation.",
                "Takes every option of train (--data, --layers, --lr, --standardize, --class-weight, ...). A grid: "
                        + "--lr 0.1,0.01 --layers 64,128-64 runs every combination (a network of several layers is "
                        + "written 128-64 here) on the same folds and ranks them by --metric; --save trains the "
                        + "best on all the data."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:cross-validated", "2:bad options or input",
                "74:an output could not be written (disk full)"})
public final class CvCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--folds", paramLabel = "K", description = "Folds (default: 5).")
    int folds = 5;

    @Option(names = "--repeat", paramLabel = "R",
            description = "Repeat the K folds R times, each with its own shuffle (seed, seed + 1, ...) (default: 1).")
    int repeat = 1;

    @Option(names = "--metric", paramLabel = "NAME",
            description = "The figure a grid is ranked by: accuracy, balanced-accuracy, f1-macro, f1-weighted, "
                    + "precision-macro, recall-macro, auc (two classes), log-loss; for regression r2, rmse, mae, mse "
                    + "(default: accuracy, or r2 for regression).")
    String metric;

    @Option(names = "--json", description = "Print the results as JSON on standard output, and nothing else.")
    boolean json;

    @Option(names = "--save", paramLabel = "MODEL",
            description = "Train the best settings on all the data and write the model here.")
    Path save;

    @Option(names = "--save-folds", paramLabel = "FILE.csv",
            description = "Write each row's fold (row,repeat,fold, from 1) here, to score another tool on the same folds.")
    Path saveFolds;

    @Option(names = "--parallel-folds", paramLabel = "auto|yes|no",
            description = "Train folds at the same time: auto does on " + CvCommand.PARALLEL_CORES + " or more cores "
                    + "when each step uses one (batches under 64 rows), and never on fewer, where it measured no "
                    + "faster (docs/performance.md); yes and no force it (default: auto).")
    String parallelFolds = "auto";

    /** Everything else: train's options, with a grid's alternatives separated by commas. */
    @Unmatched
    List<String> trainArgs = new ArrayList<>();

    /** The option groups of train, as one combination of the grid sets them. */
    @Command(name = "cv")
    static final class TrainArgs {
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
    }

    /** One combination of the grid: its settings, train's options for it, and its recipe. */
    record Candidate(Map<String, String> settings, TrainArgs args, Recipe recipe) {
        String label() {
            if (settings.isEmpty()) {
                return "as given";
            }
            List<String> parts = new ArrayList<>();
            settings.forEach((k, v) -> parts.add(k + " " + v));
            return String.join(", ", parts);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkOwnOptions();
        List<Candidate> candidates = candidates();
        TrainArgs first = candidates.get(0).args();
        if (first.data.data == null) {
            throw new UserError("--data: cross-validation needs a CSV file or IDX directory of labelled rows");
        }
        if (first.split.test != null) {
            throw new UserError("--test: cross-validation scores each fold on the rows it leaves out; leave out --test");
        }
        for (Candidate c : candidates) { // every fold is scored on its own rows; the best's final run on none
            c.args().split.useDefaultTest = false;
        }
        PathRules paths = new PathRules();
        first.data.inputs(paths, "--data", first.data.data);
        Outputs.distinct(paths.output("--save", save).output("--save-folds", saveFolds));
        CsvDataset.Table table = first.data.table();
        Dataset all = table.rows();
        boolean regression = all.isRegression();
        CvMetrics.Metric ranked = CvMetrics.of(metric, regression, all.classCount());
        long seed = first.model.seed();
        int[][] assignment = assign(all, seed);
        if (saveFolds != null) {
            writeFolds(assignment);
        }
        boolean parallel = parallel(candidates, all.size() - all.size() / folds);
        if (!json) {
            Setup.printHeader(out, "cross-validation", header(all, candidates, ranked, seed, parallel));
        }
        List<CvMetrics.Result> results = new ArrayList<>();
        for (Candidate c : candidates) {
            CvMetrics.Result r = run(c, table, assignment, parallel, regression);
            results.add(r);
            if (!json && candidates.size() > 1) {
                out.println(Terminal.escape(c.label()) + ": " + r.summary(ranked));
                out.flush();
            }
        }
        int best = CvMetrics.best(results, ranked);
        Model saved = save == null ? null : trainBest(candidates.get(best), results.get(best), ranked, table);
        if (json) {
            out.println(Json.write(CvMetrics.json(results, candidates, ranked, best, folds, repeat, seed,
                    save == null ? null : save.toString())));
        } else {
            if (candidates.size() > 1) {
                out.println();
                out.print(CvMetrics.ranking(results, candidates, ranked));
                out.println();
                out.println("best: " + Terminal.escape(candidates.get(best).label()));
            }
            out.print(results.get(best).table(regression));
            if (saved != null) {
                out.println("model (the best settings, trained on all " + all.size() + " rows): " + save);
            }
            if (saveFolds != null) {
                out.println("folds: " + saveFolds);
            }
        }
        out.flush();
        err.flush();
        return 0;
    }

    private void checkOwnOptions() {
        if (folds < 2) {
            throw UserError.badValue("--folds", folds, "must be at least 2: one fold to train on and one to test");
        }
        Parse.atLeastOne("--repeat", repeat);
        String p = parallelFolds.trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "yes", "no").contains(p)) {
            throw UserError.badValue("--parallel-folds", parallelFolds, "is not auto, yes or no");
        }
    }

    /** The folds of every repeat: row r's fold in repeat i is assignment[i][r]; refused when a class is too small. */
    private int[][] assign(Dataset all, long seed) {
        int[][] out = new int[repeat][];
        if (!all.isRegression()) {
            ClassBalance b = ClassBalance.of(all);
            int smallest = b.counts()[b.minority()];
            if (folds > smallest) {
                throw UserError.badValue("--folds", folds, "is more than the " + smallest + " rows of the smallest "
                        + "class, '" + Terminal.shown(all.classNames().get(b.minority())) + "': every fold needs at "
                        + "least one row of each class; give --folds " + smallest + " or fewer");
            }
        } else if (folds > all.size()) {
            throw UserError.badValue("--folds", folds, "is more than the " + all.size() + " rows");
        }
        for (int i = 0; i < repeat; i++) {
            out[i] = all.isRegression() ? Folds.shuffled(all.size(), folds, seed + i)
                    : Folds.stratified(all.labels(), all.classCount(), folds, seed + i);
        }
        return out;
    }

    private void writeFolds(int[][] assignment) {
        try {
            AtomicFiles.write(saveFolds, o -> {
                StringBuilder sb = new StringBuilder("row,repeat,fold\n");
                for (int r = 0; r < assignment[0].length; r++) {
                    for (int i = 0; i < assignment.length; i++) {
                        sb.append(r + 1).append(',').append(i + 1).append(',').append(assignment[i][r] + 1).append('\n');
                    }
                }
                o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            });
        } catch (IOException e) {
            throw new WriteFailure("--save-folds", saveFolds, e);
        }
    }

    /**
     * The grid: train's options once per combination of the alternatives given to {@link Grid#OPTIONS},
     * each parsed as train parses them and made into a recipe, checked before any data is read.
     */
    private List<Candidate> candidates() {
        List<Candidate> out = new ArrayList<>();
        for (Grid.Combination combination : Grid.expand(trainArgs)) {
            TrainArgs args = new TrainArgs();
            CommandLine cl = Main.strictNumbers(new CommandLine(args));
            try {
                cl.parseArgs(combination.args().toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new UserError(e.getMessage() + Suggestions.of(e));
            }
            Recipe recipe = Setup.recipe(args.data, args.model, args.loss, args.training, args.split);
            out.add(new Candidate(combination.settings(), args, recipe));
        }
        return out;
    }

    /**
     * The fewest cores on which auto trains folds side by side. On two cores it was no faster,
     * with a step of one core or of both (a median 1.03 and 1.04 times the wall time, 10 to 20%
     * more CPU: docs/performance.md): the JIT compiler and the collector already take the second
     * core. Four is where a one-core step leaves cores with nothing to do; not measured here.
     */
    static final int PARALLEL_CORES = 4;

    /**
     * Whether folds train at the same time: with auto, on {@link #PARALLEL_CORES} or more cores when
     * every candidate's step runs on one core (batches under 64 rows, or the full batch of a set
     * that small), so that the other cores are idle; larger steps already use every core, and
     * running folds side by side would only make them take turns.
     */
    private boolean parallel(List<Candidate> candidates, int trainingRows) {
        String p = parallelFolds.trim().toLowerCase(Locale.ROOT);
        if (!p.equals("auto") || Parallel.THREADS < PARALLEL_CORES) {
            return p.equals("yes");
        }
        for (Candidate c : candidates) {
            int step = Math.min(c.recipe().batch(), trainingRows); // the full batch is the fold's training rows
            if (!c.recipe().gradient().equals("backprop") || FusedBackprop.cores(step) > 1) {
                return false;
            }
        }
        return true;
    }

    /** Every fold of every repeat of one candidate, scored on its held-out rows. */
    private CvMetrics.Result run(Candidate c, CsvDataset.Table table, int[][] assignment, boolean parallel,
            boolean regression) {
        List<Callable<CvMetrics.Fold>> jobs = new ArrayList<>();
        for (int i = 0; i < assignment.length; i++) {
            for (int f = 0; f < folds; f++) {
                int repeatIndex = i, fold = f;
                jobs.add(() -> fold(c, table, assignment[repeatIndex], repeatIndex, fold));
            }
        }
        List<CvMetrics.Fold> done = new ArrayList<>();
        if (!parallel) {
            for (Callable<CvMetrics.Fold> job : jobs) {
                done.add(call(job));
            }
            return new CvMetrics.Result(done, regression);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(Parallel.THREADS, jobs.size()), r -> {
            Thread t = new Thread(r, "descent-fold");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CvMetrics.Fold>> futures = new ArrayList<>();
            for (Callable<CvMetrics.Fold> job : jobs) {
                futures.add(pool.submit(job));
            }
            for (Future<CvMetrics.Fold> f : futures) {
                try {
                    done.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UserError("cv: interrupted");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new CvMetrics.Result(done, regression);
    }

    private static CvMetrics.Fold call(Callable<CvMetrics.Fold> job) {
        try {
            return job.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One fold: a run on the other folds' rows, as train makes it, scored on this fold's. */
    private CvMetrics.Fold fold(Candidate c, CsvDataset.Table table, int[] assignment, int repeatIndex, int fold) {
        Dataset all = table.rows();
        int[] trainRows = Folds.rows(assignment, fold, false), testRows = Folds.rows(assignment, fold, true);
        CsvDataset.Table training = new CsvDataset.Table(all.select(trainRows, all.description() + ", folds but "
                + (fold + 1)), table.columns());
        CsvDataset.Table heldOut = new CsvDataset.Table(all.select(testRows, all.description() + ", fold "
                + (fold + 1)), table.columns());
        TrainArgs a = c.args();
        Setup setup = Setup.of(c.recipe(), training, heldOut, a.data, a.model, a.training, a.split, false);
        History h = setup.trainer().fit(setup.network(), setup.data());
        return CvMetrics.Fold.of(repeatIndex + 1, fold + 1, trainRows.length, setup, h);
    }

    /** The header: the data, the folds, the grid, and whether folds train side by side. */
    private Map<String, String> header(Dataset all, List<Candidate> candidates, CvMetrics.Metric ranked, long seed,
            boolean parallel) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("data", all.summary());
        h.put("folds", folds + (all.isRegression() ? " (shuffled" : " (stratified by class") + ", seed " + seed
                + (repeat > 1 ? ", repeated " + repeat + " times with seeds " + seed + " to " + (seed + repeat - 1)
                        : "") + ")" + (parallel ? ", trained " + Math.min(Parallel.THREADS, folds) + " at a time" : ""));
        Recipe r = candidates.get(0).recipe();
        h.put("run", candidates.size() > 1 ? candidates.size() + " combinations of " + String.join(", ",
                candidates.get(0).settings().keySet()) + ", ranked by " + ranked.name()
                : "layers " + r.hidden() + ", " + r.optimizerSettings().describe() + ", " + r.epochs() + " epochs");
        return h;
    }

    /** The best candidate trained on every row, as train would, and saved; its file records the cross-validation. */
    private Model trainBest(Candidate c, CvMetrics.Result result, CvMetrics.Metric ranked, CsvDataset.Table table) {
        TrainArgs a = c.args();
        Setup setup = Setup.of(c.recipe(), table, null, a.data, a.model, a.training, a.split, false);
        Outputs.savable("--save", save, setup);
        String fingerprint = setup.data().fingerprint();
        History h = setup.trainer().fit(setup.network(), setup.data());
        if (h.diverged()) {
            throw new UserError("--save: the best settings' loss stopped being finite on all the data (" + h.stopReason()
                    + "); no model written");
        }
        Map<String, Object> provenance = new LinkedHashMap<>(setup.provenance(fingerprint));
        provenance.putAll(h.provenance(!setup.regression()));
        provenance.put("crossValidation", String.format(Locale.ROOT, "%d folds x %d, %s %.6g ± %.6g", folds, repeat,
                ranked.name(), result.mean(ranked), result.std(ranked)));
        Model model = new Model(setup.network(), setup.start().classNames(), setup.start().standardization(),
                provenance, setup.start().output(), setup.start().targetStandardization(), setup.start().encoding());
        try {
            ModelFile.write(model, save);
        } catch (IOException e) {
            throw new WriteFailure("--save", save, e);
        }
        return model;
    }
}
