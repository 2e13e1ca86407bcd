package dev.descent.live;

import dev.descent.data.Dataset;
import dev.descent.io.AtomicFiles;
import dev.descent.metrics.Scores;
import dev.descent.network.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** The report of a finished run, and the evaluation it shows. */
public final class Report {
    private Report() {}

    /** Writes the page of {@code log}, self-contained, to {@code path}, atomically. */
    public static void write(RunLog log, Path path) throws IOException {
        byte[] page = Page.report(log).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(path, out -> out.write(page));
    }

    /**
     * The evaluation event of {@code network} on {@code data}: cross-entropy (mean per sample),
     * accuracy, balanced accuracy, the confusion matrix with per-class metrics, and for two
     * classes the ROC curve and its area.
     *
     * @param set which set it is, as the page titles it: {@code test set: ...}
     */
    public static Map<String, Object> evaluation(String set, Network network, Dataset data) {
        Scores.Classes scores = Scores.Classes.of(network, data);
        return Events.evaluation(set, scores);
    }

}
