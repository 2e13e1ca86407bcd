package dev.descent.train;

import dev.descent.network.Network;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cuts the learning rate by {@code factor} when the loss has not improved for {@code patience}
 * epochs, down to {@code minRate}: PyTorch's {@code ReduceLROnPlateau} (mode "min", relative
 * threshold, no cooldown), watching the validation loss when the run has one, else the training
 * loss. With r the rate of the epochs so far, best the lowest loss so far and bad the epochs
 * since it was last beaten:
 * <pre>
 *   after epoch e:  if loss_e &lt; best·(1 − threshold):  best = loss_e, bad = 0
 *                   else                               bad = bad + 1
 *                   if bad &gt; patience:                 r = max(r·factor, minRate), bad = 0
 * </pre>
 * The rate is a function of the history alone, replayed from epoch 1 after every epoch, so a run
 * continued from a checkpoint takes the same rates as the whole run (it starts from the run's own
 * rate, {@code initial}, given by whoever makes the listener).
 *
 * @param initial   the rate of the first epoch, the run's
 * @param factor    the factor of each cut, in (0, 1)
 * @param patience  epochs without improvement tolerated before a cut, at least 0
 * @param threshold the relative improvement that counts, at least 0
 * @param minRate   the rate is never cut below this, at least 0
 */
public record ReduceLROnPlateau(double initial, double factor, int patience, double threshold, double minRate)
        implements TrainingListener {
    /** PyTorch's defaults. */
    public static final double DEFAULT_FACTOR = 0.1, DEFAULT_THRESHOLD = 1e-4, DEFAULT_MIN_RATE = 0;
    public static final int DEFAULT_PATIENCE = 10;
    /** A cut smaller than this is not made (PyTorch's eps). */
    static final double EPS = 1e-8;

    public ReduceLROnPlateau {
        if (!(initial > 0) || Double.isInfinite(initial)) {
            throw new IllegalArgumentException("the learning rate must be positive and finite, got " + initial);
        }
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("the plateau factor must be in (0, 1), got " + factor);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("the plateau patience must be 0 or more epochs, got " + patience);
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("the plateau threshold must be zero or positive, got " + threshold);
        }
        if (!(minRate >= 0) || Double.isInfinite(minRate)) {
            throw new IllegalArgumentException("the minimum learning rate must be zero or positive, got " + minRate);
        }
    }

    /** PyTorch's defaults from {@code initial}: factor 0.1, patience 10, threshold 1e-4, no minimum. */
    public static ReduceLROnPlateau of(double initial) {
        return new ReduceLROnPlateau(initial, DEFAULT_FACTOR, DEFAULT_PATIENCE, DEFAULT_THRESHOLD, DEFAULT_MIN_RATE);
    }

    @Override
    public void onStart(Network network, int epochs, History.Row initial, Steering steering) {
        steering.learningRate(rateAfter(steering.history())); // a resumed run takes up where it was
    }

    @Override
    public void onEpoch(History.Row row, Steering steering) {
        steering.learningRate(rateAfter(steering.history()));
    }

    /** The rate of the epoch after {@code rows} (epoch 0 first): the replay of the rule above. */
    public double rateAfter(List<History.Row> rows) {
        double rate = initial, best = Double.POSITIVE_INFINITY;
        int bad = 0;
        for (History.Row r : rows.subList(1, rows.size())) {
            double loss = r.hasValidation() ? r.validationLoss() : r.loss();
            if (loss < best * (1 - threshold)) {
                best = loss;
                bad = 0;
            } else {
                bad++;
            }
            if (bad > patience) {
                double cut = Math.max(rate * factor, minRate);
                rate = rate - cut > EPS ? cut : rate;
                bad = 0;
            }
        }
        return rate;
    }

    /** How a model file records the plateau's rule (its factor is the schedule's {@code lrGamma}). */
    public Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lrPatience", patience);
        p.put("lrThreshold", threshold);
        p.put("minLr", minRate);
        return p;
    }

    /** One line for headers: {@code x0.1 after 10 epochs without improvement (by 1e-4), down to 0}. */
    public String describe() {
        return String.format(Locale.ROOT, "on plateau: x%s after %d epoch%s without a relative improvement of %s, "
                + "down to %s", factor, patience, patience == 1 ? "" : "s", threshold, minRate);
    }
}
