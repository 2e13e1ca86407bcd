package dev.descent.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import scala.Tuple2;

/**
 * One block of the data as a fit trains on it: its training rows and its held-out rows, each as
 * the library keeps a data set ({@link Rows}), cached on the executor that built it, so no
 * {@code Row} or {@code Vector} outlives the first pass. Blocks are built by {@link Blocks}.
 *
 * @param index     the block's number, 0 to blocks − 1
 * @param cols      features per row
 * @param train     the rows trained on
 * @param validation the rows held out, evaluated after every epoch
 */
record Block(int index, int cols, Rows train, Rows validation) implements Serializable {
    /** {@code classes} of a regression: the label column holds real targets, not class indices. */
    static final int REGRESSION = 0;

    /** Bytes held. */
    long bytes() {
        return train.bytes() + validation.bytes();
    }

    /** What a block is built from, beside its rows. */
    record Spec(int cols, boolean regression, boolean weighted, double weightScale, double validationFraction,
                boolean float32) implements Serializable {}

    /**
     * Reads block {@code index}'s records ({@link Records}), in their order, into its training and
     * held-out rows, in one pass.
     */
    static Block read(int index, Iterator<Tuple2<byte[], Boolean>> records, Spec spec) {
        Builder train = new Builder(spec), held = new Builder(spec);
        double[] values = new double[spec.cols()];
        while (records.hasNext()) {
            byte[] r = records.next()._1();
            Records.features(r, values);
            (Records.heldOut(Records.hashOf(r), spec.validationFraction()) ? held : train)
                    .add(values, Records.label(r), Records.weight(r));
        }
        return new Block(index, spec.cols(), train.build(), held.build());
    }

    /** Appends rows: features into a {@link Storage}, labels, targets and weights beside them. */
    private static final class Builder {
        private final Spec spec;
        private final Storage.Builder features;
        private int[] labels = new int[16];
        private double[] targets, weights;

        Builder(Spec spec) {
            this.spec = spec;
            this.features = new Storage.Builder(spec.cols(), spec.float32());
            this.targets = spec.regression() ? new double[16] : null;
            this.weights = spec.weighted() ? new double[16] : null;
        }

        void add(double[] values, double label, double weight) {
            int n = features.rows();
            if (n == labels.length) {
                labels = Arrays.copyOf(labels, 2 * n);
                targets = targets == null ? null : Arrays.copyOf(targets, 2 * n);
                weights = weights == null ? null : Arrays.copyOf(weights, 2 * n);
            }
            features.add(values);
            labels[n] = spec.regression() ? n : (int) label;
            if (targets != null) {
                targets[n] = label;
            }
            if (weights != null) {
                weights[n] = weight * spec.weightScale();
            }
        }

        Rows build() {
            int n = features.rows();
            return new Rows(features.build(), Arrays.copyOf(labels, n), targets == null ? null : Arrays.copyOf(targets, n),
                    weights == null ? null : Arrays.copyOf(weights, n));
        }
    }
}
