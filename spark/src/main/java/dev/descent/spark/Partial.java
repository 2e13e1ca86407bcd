package dev.descent.spark;

import java.io.Serializable;

/**
 * What partitions send back to the driver in one synchronisation, summed over partitions by
 * {@code treeAggregate}: a vector (exact: the summed gradient; averaged: θ and the optimizer's
 * state, each weighted by the rows a partition trained on), and the loss summed over rows (each
 * row's weighted), the weight of the rows classified right, the rows, their weight, and the most
 * optimizer steps any partition has taken.
 *
 * <p>Both functions modify and return their first argument, as {@code treeAggregate} allows; the
 * vector is allocated by the first partition that has one, so the empty start value that Spark
 * ships with every task is a few bytes, not a θ.
 */
final class Partial implements Serializable {
    double[] values;
    double loss;
    double correct;
    long rows;
    double weight;
    long steps;

    /** Adds {@code scale · v} to the vector. Modifies this. */
    void addValues(double[] v, double scale) {
        if (values == null) {
            values = new double[v.length];
        }
        for (int i = 0; i < v.length; i++) {
            values[i] += scale * v[i];
        }
    }

    /** Adds another partition's (or subtree's) sums. Modifies and returns this. */
    Partial add(Partial other) {
        if (other.values != null) {
            addValues(other.values, 1.0);
        }
        loss += other.loss;
        correct += other.correct;
        rows += other.rows;
        weight += other.weight;
        steps = Math.max(steps, other.steps);
        return this;
    }

    /**
     * The library's evaluation of these sums: the loss over the rows' weight (their count,
     * unweighted) and the right rows' share; a weighted share is given as the nearest whole
     * number of rows, since an evaluation counts rows.
     */
    dev.descent.train.Evaluation evaluation() {
        if (rows == 0) {
            return new dev.descent.train.Evaluation(Double.NaN, 0, 0);
        }
        return new dev.descent.train.Evaluation(loss / weight, (int) Math.round(correct / weight * rows), (int) rows);
    }
}
