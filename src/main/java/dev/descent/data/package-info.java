/**
 * Labelled data in memory ({@link dev.descent.data.Dataset} over compact
 * {@link dev.descent.data.Features}), the built-in seed example, CSV and IDX readers,
 * standardisation, and the limits contradictory rows put on any model.
 *
 * <p>Not here: batching or shuffling, which belong to training.
 */
package dev.descent.data;
