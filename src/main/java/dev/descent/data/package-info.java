/**
 * Labelled data in memory ({@link dev.descent.data.Dataset}), the built-in seed example, and
 * readers for data files.
 *
 * <p>Not here: batching or shuffling, which belong to training.
 */
package dev.descent.data;
