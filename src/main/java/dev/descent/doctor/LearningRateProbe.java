package dev.descent.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Probes for a learning rate that works ({@link Probes#works}: judged on held-out rows by where the
 * probe ends). Down: from the same starting parameters, halve the rate until a probe works; stop
 * early when a rate learned but did no better than the run as it is (smaller ones only go slower).
 * Up: multiply it by 10 while the probes stay finite and alive, and keep the smallest that gets
 * most of the way the best one got. Either may probe beside another change ({@code --standardize}):
 * two changes that work only together are found together. Keeps every probe's outcome as evidence.
 */
final class LearningRateProbe {
    /** Growing the rate stops after this many tenfold steps. */
    static final int MAX_GROWTHS = 6;
    /** Growing picks the smallest rate whose loss is within this fraction of the best probe's gain. */
    static final double GAIN_KEPT_BACK = 0.25;
    /**
     * Halving gives up after this many rates in a row that neither diverged nor killed a layer and
     * still did not learn: smaller ones only go slower.
     */
    static final int GIVE_UP = 4;

    final List<String> outcomes = new ArrayList<>();
    final int epochs;
    /** The flags probed beside the rate. */
    final List<String> beside;
    OptionalDouble found = OptionalDouble.empty();
    Probes.Outcome best;
    /** Whether halving stopped at a rate that learned but no better than the run as it is. */
    boolean slower;

    private LearningRateProbe(int epochs, List<String> beside) {
        this.epochs = epochs;
        this.beside = List.copyOf(beside);
    }

    private static List<String> flags(List<String> beside, double lr) {
        List<String> f = new ArrayList<>(beside);
        f.addAll(List.of("--lr", Doctor.format(lr)));
        return f;
    }

    /** Probes below {@code learningRate}, with {@code beside}; the network is left at the start. */
    static LearningRateProbe down(Probes probes, List<String> beside, double learningRate) {
        LearningRateProbe probe = new LearningRateProbe(probes.epochs, beside);
        double lr = learningRate;
        int tame = 0;
        for (int k = 1; k <= Doctor.MAX_HALVINGS && tame < GIVE_UP; k++) {
            lr /= 2;
            Probes.Outcome o = probes.with(flags(beside, lr));
            probe.outcomes.add("lr " + Doctor.format(lr) + ": " + probes.brief(o));
            if (probes.works(o)) {
                probe.settle(probes, lr, o);
                break;
            }
            boolean alive = !o.diverged() && !o.killed();
            if (probes.learned(o)) {
                probe.slower = true;
                break;
            }
            tame = alive ? tame + 1 : 0;
        }
        return probe;
    }

    /**
     * The first rate that works is at the edge of what works from this start, and the user's run,
     * on all the rows and other batches, may fall off it; one more halving is probed, and kept when
     * it works too: a margin for the whole run.
     */
    private void settle(Probes probes, double lr, Probes.Outcome o) {
        found = OptionalDouble.of(lr);
        best = o;
        Probes.Outcome half = probes.with(flags(beside, lr / 2));
        outcomes.add("lr " + Doctor.format(lr / 2) + ": " + probes.brief(half));
        if (probes.works(half)) {
            found = OptionalDouble.of(lr / 2);
            best = half;
        }
    }

    /**
     * Probes above {@code learningRate}, tenfold each time, until a probe diverges, kills a layer or
     * ends worse on the judged rows than the run as it is;
     * the found rate is the smallest of those that work whose held-out loss is within
     * {@link #GAIN_KEPT_BACK} of the best one's gain over the run as it is.
     */
    static LearningRateProbe up(Probes probes, List<String> beside, double learningRate) {
        LearningRateProbe probe = new LearningRateProbe(probes.epochs, beside);
        List<Probes.Outcome> working = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (int k = 1; k <= MAX_GROWTHS; k++) {
            double lr = Double.parseDouble(String.format(Locale.ROOT, "%.6g", learningRate * Math.pow(10, k)));
            Probes.Outcome o = probes.with(flags(beside, lr));
            probe.outcomes.add("lr " + Doctor.format(lr) + ": " + probes.brief(o));
            double worse = probes.baseline().score().loss() + Probes.MATTERS * probes.judge.frequencyLoss;
            if (o.diverged() || o.killed() || o.score().loss() > worse) {
                break;
            }
            if (probes.works(o)) {
                working.add(o);
                rates.add(lr);
            }
        }
        // The smallest rate that gets most of the way the best one got: large rates that only just
        // worked in a probe are the least safe over a whole run.
        double lowest = working.stream().mapToDouble(o -> o.score().loss()).min().orElse(Double.NaN);
        double asIs = probes.baseline().score().loss();
        for (int i = 0; i < working.size(); i++) {
            double l = working.get(i).score().loss();
            if (!Double.isFinite(asIs) || l <= lowest + GAIN_KEPT_BACK * (asIs - lowest)) {
                probe.best = working.get(i);
                probe.found = OptionalDouble.of(rates.get(i));
                break;
            }
        }
        return probe;
    }

    /** The flags of the fix found: the rate, with what was probed beside it. */
    List<String> fix() {
        return flags(beside, found.getAsDouble());
    }

    /** The outcomes in one line, the middle left out when there are many. */
    String describe() {
        if (outcomes.size() <= 6) {
            return String.join("; ", outcomes);
        }
        return String.join("; ", outcomes.subList(0, 3)) + "; ...; "
                + String.join("; ", outcomes.subList(outcomes.size() - 2, outcomes.size()));
    }

    /** What to do, in words; when nothing worked, that no rate did, and not a rate to use. */
    String suggestion() {
        String with = beside.isEmpty() ? "" : " with " + String.join(" ", beside);
        if (found.isPresent()) {
            return String.format(Locale.ROOT, "use a learning rate of %s%s", Doctor.format(found.getAsDouble()), with);
        }
        if (slower) {
            return "a smaller learning rate" + with + " learned, but no better than the run as it is";
        }
        return "no smaller learning rate" + with + " made the run learn on held-out rows in the probes";
    }
}
