/**
 * The training loop ({@link dev.descent.train.Trainer}), the step it takes
 * ({@link dev.descent.train.TrainingStep}: gradients, then the optimizer's update), its record
 * ({@link dev.descent.train.History}) and the hook for watching it
 * ({@link dev.descent.train.TrainingListener}).
 *
 * <p>Not here: how gradients are computed ({@code dev.descent.gradient}, {@code dev.descent.fused}),
 * how updates are made ({@code dev.descent.optim}), or anything printed; listeners do the printing.
 */
package dev.descent.train;
