package dev.descent.cli;

import dev.descent.metrics.ConfusionMatrix;
import dev.descent.metrics.Scores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures people report of a classifier beyond its accuracy, as {@code evaluate} and
 * {@code train} print them and as their {@code --json} holds them: balanced accuracy, macro and
 * weighted F1, the ROC AUC of two classes, and top-k accuracy when asked.
 */
final class ClassMetrics {
    private ClassMetrics() {}

    /** {@code balanced accuracy 91.2%, macro F1 90.8%, weighted F1 92.0%, ROC AUC 0.9712 ('yes' positive)}. */
    static String summary(Scores.Classes e, Integer topK) {
        ConfusionMatrix m = e.confusion();
        List<String> parts = new ArrayList<>();
        parts.add("balanced accuracy " + percent(e.balancedAccuracy()));
        parts.add("macro F1 " + percent(m.macro(m::f1)));
        parts.add("weighted F1 " + percent(m.weighted(m::f1)));
        if (e.roc() != null) {
            parts.add(Double.isNaN(e.auc()) ? "no ROC AUC (one class only)"
                    : String.format(Locale.ROOT, "ROC AUC %.4f ('%s' positive)", e.auc(),
                            dev.descent.io.Terminal.shown(m.classes().get(1))));
        }
        if (topK != null) {
            parts.add(String.format(Locale.ROOT, "top-%d accuracy %s", topK, percent(e.topK(topK))));
        }
        return String.join(", ", parts);
    }

    /** The same figures into {@code --json}'s object: null where undefined. */
    static void json(Map<String, Object> r, Scores.Classes e, Integer topK) {
        ConfusionMatrix m = e.confusion();
        r.put("balancedAccuracy", Json.number(e.balancedAccuracy()));
        if (e.roc() != null) {
            r.put("auc", Json.number(e.auc()));
        }
        if (topK != null) {
            Map<String, Object> top = new LinkedHashMap<>();
            top.put("k", topK);
            top.put("accuracy", Json.number(e.topK(topK)));
            r.put("topK", top);
        }
        for (String average : List.of("macro", "weighted")) {
            Map<String, Object> a = new LinkedHashMap<>();
            for (String figure : List.of("precision", "recall", "f1")) {
                ConfusionMatrix.PerClass f = figure.equals("precision") ? m::precision
                        : figure.equals("recall") ? m::recall : m::f1;
                a.put(figure, Json.number(average.equals("macro") ? m.macro(f) : m.weighted(f)));
            }
            r.put(average, a);
        }
    }

    static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
