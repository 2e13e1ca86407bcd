/**
 * The training loop ({@link dev.descent.train.Trainer}), its record
 * ({@link dev.descent.train.History}) and the hook for watching it
 * ({@link dev.descent.train.TrainingListener}).
 *
 * <p>Not here: gradients, updates, or anything printed; listeners do the printing.
 */
package dev.descent.train;
