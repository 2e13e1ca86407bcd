package dev.descent.live;

import dev.descent.doctor.Finding;
import dev.descent.doctor.LayerSample;
import dev.descent.metrics.ConfusionMatrix;
import dev.descent.metrics.RegressionMetrics;
import dev.descent.metrics.Roc;
import dev.descent.metrics.Scores;
import dev.descent.train.History;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The events of a {@link RunLog}, as maps ready to be written as JSON. A number that is not finite
 * (no validation set, a loss that overflowed) is written as null, which JSON has and the page
 * draws as a gap.
 */
public final class Events {
    private Events() {}

    /**
     * What the run is: the first event.
     *
     * @param title      {@code training}, {@code doctor}, {@code evaluate}
     * @param header     the lines of the run's header, as the terminal shows them
     * @param provenance how it was made (a model file's {@code training}), or empty
     * @param epochs     the epochs it will train, 0 when it does not train
     * @param lossLabel  how the loss is reduced, for the axis
     */
    public static Map<String, Object> run(String title, Map<String, String> header, Map<String, ?> provenance,
            int epochs, String lossLabel) {
        Map<String, Object> e = event("run");
        e.put("title", title);
        e.put("header", header);
        e.put("provenance", provenance);
        e.put("epochs", epochs);
        e.put("lossLabel", lossLabel);
        return e;
    }

    /** One epoch's row of the history, and the learning rate it trained with. */
    public static Map<String, Object> epoch(History.Row row, double learningRate) {
        Map<String, Object> e = event("epoch");
        e.put("epoch", row.epoch());
        e.put("loss", number(row.loss()));
        e.put("accuracy", number(row.accuracy()));
        e.put("validationLoss", number(row.validationLoss()));
        e.put("validationAccuracy", number(row.validationAccuracy()));
        e.put("seconds", row.seconds());
        e.put("learningRate", learningRate);
        return e;
    }

    /**
     * A point of the per-batch loss.
     *
     * @param at       epochs done, with the fraction of the current one: 2.5 is half-way through epoch 3
     * @param smoothed the exponential moving average of the batch losses so far, debiased
     * @param loss     the last batch's loss
     */
    public static Map<String, Object> batch(double at, double smoothed, double loss) {
        Map<String, Object> e = event("batch");
        e.put("at", at);
        e.put("smoothed", number(smoothed));
        e.put("loss", number(loss));
        return e;
    }

    /** The per-layer figures after {@code epoch}. */
    public static Map<String, Object> layers(int epoch, LayerSample s) {
        Map<String, Object> e = event("layers");
        e.put("epoch", epoch);
        e.put("tensors", s.tensors());
        e.put("gradientNorm", numbers(s.gradientNorm()));
        e.put("gradientRatio", numbers(s.gradientRatio()));
        e.put("updateRatio", numbers(s.updateRatio()));
        List<Object> units = new ArrayList<>();
        for (LayerSample.Units u : s.units()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", u.layer());
            m.put("kind", u.kind());
            m.put("count", u.count());
            m.put("of", u.of());
            m.put("dead", u.dead());
            m.put("saturated", u.saturated());
            units.add(m);
        }
        e.put("units", units);
        return e;
    }

    /**
     * A finding of the doctor's, or a warning of train's in the same form; one of a kind already
     * shown replaces it.
     *
     * @param epoch the epoch it fired after, or -1 before training or after it
     */
    public static Map<String, Object> finding(Finding f, int epoch) {
        Map<String, Object> e = event("finding");
        e.put("severity", f.severity().toString().toLowerCase(Locale.ROOT));
        e.put("kind", f.kind().toString().toLowerCase(Locale.ROOT));
        e.put("title", f.title());
        e.put("evidence", f.evidence());
        e.put("suggestion", f.suggestion());
        e.put("fix", f.fix());
        e.put("epoch", epoch);
        return e;
    }

    /** Points of the predicted-against-true picture a regression evaluation carries, at most. */
    public static final int REGRESSION_POINTS = 1000;

    /**
     * A regression model's evaluation on {@code set}: each target's errors in its own units (MSE,
     * RMSE, MAE, R², null where undefined), and the first target's predicted against true values
     * for the picture, at most {@link #REGRESSION_POINTS} of them spread evenly over the rows the
     * metrics kept, in order of the true value.
     */
    public static Map<String, Object> regressionEvaluation(String set, RegressionMetrics m) {
        Map<String, Object> e = event("evaluation");
        e.put("set", set);
        e.put("task", "regression");
        e.put("samples", m.count());
        List<Object> targets = new ArrayList<>();
        for (RegressionMetrics.Target t : m.targets()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("target", t.name());
            row.put("mse", number(t.mse()));
            row.put("rmse", number(t.rmse()));
            row.put("mae", number(t.mae()));
            row.put("r2", number(t.r2()));
            targets.add(row);
        }
        e.put("targets", targets);
        double[][] xy = m.points(0);
        int kept = xy[0].length, step = Math.max(1, (kept + REGRESSION_POINTS - 1) / REGRESSION_POINTS);
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < kept; i += step) {
            pairs.add(new double[] {xy[0][i], xy[1][i]});
        }
        pairs.sort((a, b) -> Double.compare(a[0], b[0]));
        e.put("truth", pairs.stream().map(p -> number(p[0])).toList());
        e.put("predicted", pairs.stream().map(p -> number(p[1])).toList());
        return e;
    }

    /** Points of a ROC curve the page draws at most. */
    static final int ROC_POINTS = 200;

    /**
     * The evaluation of {@link #evaluation(String, double, double, ConfusionMatrix)}, with the
     * figures only scores have: balanced accuracy, macro and weighted F1, and for two classes the
     * ROC AUC and the curve (at most {@link #ROC_POINTS} points of it).
     */
    public static Map<String, Object> evaluation(String set, Scores.Classes scores) {
        ConfusionMatrix m = scores.confusion();
        Map<String, Object> e = evaluation(set, scores.loss(), scores.accuracy(), m);
        e.put("balancedAccuracy", number(scores.balancedAccuracy()));
        e.put("macroF1", number(m.macro(m::f1)));
        e.put("weightedF1", number(m.weighted(m::f1)));
        Roc roc = scores.roc();
        if (roc != null && Double.isFinite(roc.auc())) {
            e.put("auc", number(roc.auc()));
            double[][] xy = roc.thinned(ROC_POINTS);
            e.put("rocPositive", m.classes().get(1));
            e.put("rocFpr", java.util.Arrays.stream(xy[0]).boxed().toList());
            e.put("rocTpr", java.util.Arrays.stream(xy[1]).boxed().toList());
        }
        return e;
    }

    /**
     * The model on a labelled set: loss, accuracy, per-class precision, recall, F1 and support, and
     * the confusion matrix (rows: true class, columns: predicted class).
     *
     * @param set which set it is, {@code test set: t10k (10000 samples ...)}
     */
    public static Map<String, Object> evaluation(String set, double loss, double accuracy, ConfusionMatrix m) {
        Map<String, Object> e = event("evaluation");
        e.put("set", set);
        e.put("loss", number(loss));
        e.put("accuracy", number(accuracy));
        int k = m.classes().size();
        List<Object> classes = new ArrayList<>();
        long[][] counts = new long[k][k];
        for (int c = 0; c < k; c++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("class", m.classes().get(c));
            row.put("precision", number(m.precision(c)));
            row.put("recall", number(m.recall(c)));
            row.put("f1", number(m.f1(c)));
            row.put("support", m.support(c));
            classes.add(row);
            for (int p = 0; p < k; p++) {
                counts[c][p] = m.count(c, p);
            }
        }
        e.put("classes", classes);
        e.put("confusion", counts);
        return e;
    }

    /**
     * The run is over.
     *
     * @param status  one line: how it ended
     * @param seconds how long it trained
     */
    public static Map<String, Object> end(String status, double seconds) {
        Map<String, Object> e = event("end");
        e.put("status", status);
        e.put("seconds", seconds);
        return e;
    }

    private static Map<String, Object> event(String type) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        return e;
    }

    static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static List<Double> numbers(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double d : v) {
            out.add(number(d));
        }
        return out;
    }
}
