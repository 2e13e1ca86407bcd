package dev.descent.spark;

import java.io.Serializable;

/**
 * What partitions send back to the driver in one synchronisation, summed over partitions by
 * {@code treeAggregate}: a vector (exact: the summed gradient; averaged: θ and the optimizer's
 * state, each weighted by the rows a partition trained on), and the loss summed over rows,
 * correctly classified rows, rows, and the most optimizer steps any partition has taken.
 *
 * <p>Both functions modify and return their first argument, as {@code treeAggregate} allows; the
 * vector is allocated by the first partition that has one, so the empty start value that Spark
 * ships with every task is a few bytes, not a θ.
 */
final class Partial implements Serializable {
    double[] values;
    double loss;
    long correct;
    long rows;
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
        steps = Math.max(steps, other.steps);
        return this;
    }
}
