package dev.descent.train;

import dev.descent.network.Network;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * Stops a run before an epoch that would not finish within its time: after each epoch, when the
 * time spent since the first step plus the last epoch's own time would pass the budget, the run
 * stops there, with every finished epoch kept (and, with early stopping, the best of them). A run
 * so stopped ends normally: its model is written, its history says why it stopped.
 */
public final class TimeBudget implements TrainingListener {
    private final Duration budget;
    private long started;

    public TimeBudget(Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("a time budget must be positive, got " + budget);
        }
        this.budget = budget;
    }

    @Override
    public void onStart(Network network, int epochs, History.Row initial, Steering steering) {
        started = System.nanoTime();
    }

    @Override
    public void onEpoch(History.Row row, Steering steering) {
        long spent = System.nanoTime() - started, next = (long) (row.seconds() * 1e9);
        if (spent + next > budget.toNanos()) {
            steering.stop(String.format(Locale.ROOT, "the time budget of %s s is spent: %.2f s so far, and an epoch "
                    + "takes %.2f s", seconds(budget), spent / 1e9, row.seconds()));
        }
    }

    /** {@code 90}, {@code 2.5}, {@code 0.000000001}: the budget as it was given, in seconds. */
    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }
}
