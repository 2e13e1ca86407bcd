package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.io.Terminal;
import dev.descent.metrics.ConfusionMatrix;
import dev.descent.metrics.RegressionMetrics;
import dev.descent.metrics.Scores;
import dev.descent.train.History;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What cross-validation measures on each held-out fold, and what it reports of the folds: mean and
 * standard deviation (over the folds, dividing by their number, as {@code numpy.std} and
 * {@code cross_val_score(...).std()} do), as a table and as JSON; a grid's candidates ranked.
 */
final class CvMetrics {
    private CvMetrics() {}

    /** The figures of a classifier's fold, in the order printed; auc only for two classes. */
    static final List<String> CLASSIFICATION = List.of("accuracy", "balanced-accuracy", "f1-macro", "f1-weighted",
            "precision-macro", "recall-macro", "auc", "log-loss");
    /** The figures of a regression fold: each the mean over the targets, in their own units. */
    static final List<String> REGRESSION = List.of("r2", "rmse", "mae", "mse");
    /** The figures where lower is better. */
    static final List<String> LOWER_IS_BETTER = List.of("log-loss", "rmse", "mae", "mse");

    /** A figure to rank by. */
    record Metric(String name) {
        boolean higherIsBetter() {
            return !LOWER_IS_BETTER.contains(name);
        }
    }

    /** The metric {@code name} (null: accuracy, or r2 for regression), checked against the task and the classes. */
    static Metric of(String name, boolean regression, int classes) {
        String n = name == null ? (regression ? "r2" : "accuracy") : name.trim().toLowerCase(Locale.ROOT);
        List<String> known = regression ? REGRESSION : CLASSIFICATION;
        if (!known.contains(n)) {
            List<String> other = regression ? CLASSIFICATION : REGRESSION;
            throw UserError.badValue("--metric", name, other.contains(n) ? "is a " + (regression ? "classifier's"
                    : "regression") + " figure; this data's are " + String.join(", ", known)
                    : "is not one of " + String.join(", ", known));
        }
        if (n.equals("auc") && classes != 2) {
            throw UserError.badValue("--metric", name, "is for two classes; this data has " + classes);
        }
        return new Metric(n);
    }

    /**
     * One held-out fold's figures.
     *
     * @param repeat    which repeat, from 1
     * @param fold      which fold, from 1
     * @param trainRows rows trained on
     * @param testRows  rows scored
     * @param values    each figure, NaN where undefined (or the run diverged)
     */
    record Fold(int repeat, int fold, int trainRows, int testRows, Map<String, Double> values, boolean diverged) {
        static Fold of(int repeat, int fold, int trainRows, Setup setup, History history) {
            Dataset test = setup.test();
            Map<String, Double> v = new LinkedHashMap<>();
            boolean diverged = history.diverged();
            if (setup.regression()) {
                RegressionMetrics m = diverged ? null : measure(() -> RegressionMetrics.of(setup.network(), test,
                        setup.start().targetStandardization(), true));
                for (String name : REGRESSION) {
                    double sum = 0;
                    for (RegressionMetrics.Target t : m == null ? List.<RegressionMetrics.Target>of() : m.targets()) {
                        sum += switch (name) {
                            case "r2" -> t.r2();
                            case "rmse" -> t.rmse();
                            case "mae" -> t.mae();
                            default -> t.mse();
                        };
                    }
                    v.put(name, m == null ? Double.NaN : sum / m.targets().size());
                }
            } else {
                Scores.Classes s = diverged ? null : measure(() -> Scores.Classes.of(setup.network(), test));
                ConfusionMatrix c = s == null ? null : s.confusion();
                for (String name : CLASSIFICATION) {
                    if (name.equals("auc") && test.classCount() != 2) {
                        continue;
                    }
                    v.put(name, s == null ? Double.NaN : switch (name) {
                        case "accuracy" -> s.accuracy();
                        case "balanced-accuracy" -> s.balancedAccuracy();
                        case "f1-macro" -> c.macro(c::f1);
                        case "f1-weighted" -> c.weighted(c::f1);
                        case "precision-macro" -> c.macro(c::precision);
                        case "recall-macro" -> c.macro(c::recall);
                        case "auc" -> s.auc();
                        default -> s.loss();
                    });
                }
            }
            return new Fold(repeat, fold, trainRows, test.size(), v, diverged);
        }

        /** The scores, or null when the network's outputs overflow on a row (a run gone wrong). */
        private static <T> T measure(java.util.function.Supplier<T> scores) {
            try {
                return scores.get();
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** A candidate's folds, in order. */
    record Result(List<Fold> folds, boolean regression) {
        Result {
            folds = folds.stream().sorted((a, b) -> a.repeat() != b.repeat() ? Integer.compare(a.repeat(), b.repeat())
                    : Integer.compare(a.fold(), b.fold())).toList();
        }

        List<String> names() {
            return new ArrayList<>(folds.get(0).values().keySet());
        }

        double mean(Metric m) {
            return mean(m.name());
        }

        double std(Metric m) {
            return std(m.name());
        }

        double mean(String name) {
            double sum = 0;
            for (Fold f : folds) {
                sum += f.values().get(name);
            }
            return sum / folds.size();
        }

        /** The standard deviation over the folds, dividing by their number (numpy's std). */
        double std(String name) {
            double mean = mean(name), sum = 0;
            for (Fold f : folds) {
                double d = f.values().get(name) - mean;
                sum += d * d;
            }
            return Math.sqrt(sum / folds.size());
        }

        /** {@code accuracy 0.8533 ± 0.0211 over 5 folds}. */
        String summary(Metric m) {
            return String.format(Locale.ROOT, "%s %.4f ± %.4f over %d folds%s", m.name(), mean(m), std(m), folds.size(),
                    diverged() > 0 ? " (" + diverged() + " diverged)" : "");
        }

        long diverged() {
            return folds.stream().filter(Fold::diverged).count();
        }

        /** Each fold's figures, then their mean and standard deviation. */
        String table(boolean regression) {
            List<String> names = names();
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%-6s  %6s  %5s", "fold", "train", "test"));
            for (String n : names) {
                sb.append(String.format(Locale.ROOT, "  %" + Math.max(8, n.length()) + "s", n));
            }
            sb.append('\n');
            for (Fold f : folds) {
                sb.append(String.format(Locale.ROOT, "%-6s  %6d  %5d", f.repeat() + "." + f.fold(), f.trainRows(),
                        f.testRows()));
                appendRow(sb, names, n -> f.values().get(n));
            }
            sb.append(String.format(Locale.ROOT, "%-6s  %6s  %5s", "mean", "", ""));
            appendRow(sb, names, this::mean);
            sb.append(String.format(Locale.ROOT, "%-6s  %6s  %5s", "sd", "", ""));
            appendRow(sb, names, this::std);
            return sb.toString();
        }

        private static void appendRow(StringBuilder sb, List<String> names,
                java.util.function.ToDoubleFunction<String> value) {
            for (String n : names) {
                double v = value.applyAsDouble(n);
                String cell = Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
                sb.append(String.format(Locale.ROOT, "  %" + Math.max(8, n.length()) + "s", cell));
            }
            sb.append('\n');
        }
    }

    /** The candidate with the best mean of the metric (the first on a tie; a NaN mean never wins). */
    static int best(List<Result> results, Metric m) {
        int best = -1;
        for (int i = 0; i < results.size(); i++) {
            double v = results.get(i).mean(m);
            if (Double.isNaN(v)) {
                continue;
            }
            if (best < 0 || (m.higherIsBetter() ? v > results.get(best).mean(m) : v < results.get(best).mean(m))) {
                best = i;
            }
        }
        if (best < 0) {
            throw new UserError("cv: no combination gave a finite " + m.name() + " on every fold (every run diverged "
                    + "on some fold); try a smaller --lr");
        }
        return best;
    }

    /** The candidates, best first: rank, mean ± sd of the metric, and the settings. */
    static String ranking(List<Result> results, List<CvCommand.Candidate> candidates, Metric m) {
        List<Integer> order = order(results, m);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%4s  %-21s  %s%n", "rank",
                m.name() + " (mean ± sd)", "settings"));
        int rank = 1;
        for (int i : order) {
            Result r = results.get(i);
            sb.append(String.format(Locale.ROOT, "%4d  %-21s  %s%n", rank++, Double.isNaN(r.mean(m)) ? "-"
                    : String.format(Locale.ROOT, "%.4f ± %.4f", r.mean(m), r.std(m)),
                    Terminal.escape(candidates.get(i).label())));
        }
        return sb.toString();
    }

    /** Indices of the results, best mean first, NaN last. */
    static List<Integer> order(List<Result> results, Metric m) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> {
            double x = results.get(a).mean(m), y = results.get(b).mean(m);
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
            }
            return m.higherIsBetter() ? Double.compare(y, x) : Double.compare(x, y);
        });
        return order;
    }

    /** cv --json: the folds, each candidate's folds, mean and sd, the ranking and the best. */
    static Map<String, Object> json(List<Result> results, List<CvCommand.Candidate> candidates, Metric m, int best,
            int folds, int repeat, long seed, String model) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("folds", folds);
        j.put("repeats", repeat);
        j.put("seed", seed);
        j.put("stratified", !results.get(0).regression());
        j.put("metric", m.name());
        List<Object> all = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("settings", candidates.get(i).settings());
            List<Object> fs = new ArrayList<>();
            for (Fold f : r.folds()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("repeat", f.repeat());
                o.put("fold", f.fold());
                o.put("trainRows", f.trainRows());
                o.put("testRows", f.testRows());
                o.put("diverged", f.diverged());
                f.values().forEach((k, v) -> o.put(k, Json.number(v)));
                fs.add(o);
            }
            c.put("folds", fs);
            Map<String, Object> mean = new LinkedHashMap<>(), std = new LinkedHashMap<>();
            for (String n : r.names()) {
                mean.put(n, Json.number(r.mean(n)));
                std.put(n, Json.number(r.std(n)));
            }
            c.put("mean", mean);
            c.put("std", std);
            all.add(c);
        }
        j.put("candidates", all);
        j.put("ranking", order(results, m));
        j.put("best", best);
        j.put("model", model);
        return j;
    }
}
