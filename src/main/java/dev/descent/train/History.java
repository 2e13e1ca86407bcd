package dev.descent.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What happened during training: one row per epoch, starting with epoch 0, the parameters
 * before any step.
 */
public final class History {
    /** The loss and accuracy after {@code epoch} epochs. */
    public record Row(int epoch, double loss, double accuracy) {}

    private final List<Row> rows = new ArrayList<>();
    private String stopReason;

    void add(int epoch, Evaluation e) {
        rows.add(new Row(epoch, e.loss(), e.accuracy()));
    }

    void stop(String reason) {
        this.stopReason = reason;
    }

    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The loss of every row, epoch 0 first. */
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
}
