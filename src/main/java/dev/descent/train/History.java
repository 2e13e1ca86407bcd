package dev.descent.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened during training: one row per epoch, starting with epoch 0, the parameters
 * before any step.
 */
public final class History {
    /**
     * One epoch.
     *
     * @param epoch              0 for the starting parameters
     * @param loss               full batch: the training loss after the epoch's step; mini-batches:
     *                           the mean of the epoch's batch losses, each taken before its step
     * @param accuracy           the training accuracy, measured as the loss is
     * @param validationLoss     on the validation set after the epoch, or NaN without one
     * @param validationAccuracy likewise
     * @param seconds            wall time of the epoch's training steps (0 for epoch 0)
     */
    public record Row(int epoch, double loss, double accuracy, double validationLoss, double validationAccuracy,
            double seconds) {
        public boolean hasValidation() {
            return !Double.isNaN(validationLoss);
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private String stopReason;
    private boolean interrupted;
    private int restoredEpoch = -1;

    /**
     * The history of a run trained by another loop than {@link Trainer}'s (Descent on Spark),
     * for the same listeners and reports.
     *
     * @param stopReason    why it stopped before its last epoch, or null
     * @param restoredEpoch the epoch whose parameters early stopping restored, or -1
     */
    public static History of(List<Row> rows, String stopReason, int restoredEpoch) {
        History h = new History();
        rows.forEach(h::add);
        h.stopReason = stopReason;
        h.restoredEpoch = restoredEpoch;
        return h;
    }

    void add(Row row) {
        rows.add(row);
    }

    void stop(String reason) {
        this.stopReason = reason;
    }

    void interrupt(String reason) {
        this.stopReason = reason;
        this.interrupted = true;
    }

    /** Whether training stopped because it was asked to (its state saved to continue later). */
    public boolean interrupted() {
        return interrupted;
    }

    void restored(int epoch) {
        this.restoredEpoch = epoch;
    }

    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The training loss of every row, epoch 0 first. */
    public double[] losses() {
        return rows.stream().mapToDouble(Row::loss).toArray();
    }

    public Row first() {
        return rows.get(0);
    }

    public Row last() {
        return rows.get(rows.size() - 1);
    }

    /** Why training stopped before its last epoch, or null if it ran them all. */
    public String stopReason() {
        return stopReason;
    }

    /** Whether the loss stopped being a finite number (so the parameters mean nothing). */
    public boolean diverged() {
        return !Double.isFinite(last().loss());
    }

    /** The epoch whose parameters early stopping restored, or -1. */
    public int restoredEpoch() {
        return restoredEpoch;
    }

    /** The row of the parameters the run ended with: the restored epoch's, or the last. */
    public Row kept() {
        return restoredEpoch >= 0 ? rows.get(restoredEpoch) : last();
    }

    /**
     * What a model file records of how the run went, of the parameters it kept: {@code epochs},
     * {@code finalLoss}, {@code finalAccuracy} (with classes), the validation loss and accuracy
     * (with held-out data), and, when early stopping restored an epoch, {@code restoredEpoch} and
     * {@code epochsRun}.
     */
    public Map<String, Object> provenance(boolean classifies) {
        Map<String, Object> p = new LinkedHashMap<>();
        Row kept = kept();
        p.put("epochs", kept.epoch());
        p.put("finalLoss", kept.loss());
        if (classifies) {
            p.put("finalAccuracy", kept.accuracy());
        }
        if (kept.hasValidation() && Double.isFinite(kept.validationLoss())) {
            p.put("validationLoss", kept.validationLoss());
            if (classifies) {
                p.put("validationAccuracy", kept.validationAccuracy());
            }
        }
        if (restoredEpoch >= 0) {
            p.put("restoredEpoch", restoredEpoch);
            p.put("epochsRun", last().epoch());
        }
        return p;
    }
}
