/**
 * Optimizers: how parameters move given their gradients ({@link dev.descent.optim.GradientDescent}).
 *
 * <p>Not here: where the gradients come from.
 */
package dev.descent.optim;
