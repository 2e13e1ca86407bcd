/**
 * Optimizers: how parameters move given their gradients ({@link dev.descent.optim.GradientDescent},
 * {@link dev.descent.optim.Momentum}, {@link dev.descent.optim.Adam}), with weight decay, and
 * the learning rate of each epoch ({@link dev.descent.optim.LearningRateSchedule}).
 *
 * <p>Not here: where the gradients come from.
 */
package dev.descent.optim;
