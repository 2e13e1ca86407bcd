/**
 * Gradient sources: {@link dev.descent.gradient.Backpropagation} (the reference schedule: each
 * layer's backward in turn) and {@link dev.descent.gradient.CentralDifference} (with its fast
 * engine {@link dev.descent.gradient.FastCentralDifference}), all filling the same parameter
 * gradients, so either can train a network and each can check the other; and the zeroth-order
 * estimate {@link dev.descent.gradient.Spsa}, central differences along random directions drawn by
 * {@link dev.descent.gradient.Gaussian} from a key, whose expectation is the gradient.
 *
 * <p>Not here: the training step that descends along them ({@code dev.descent.train.TrainingStep}),
 * updating parameters ({@code dev.descent.optim}), or data ({@code dev.descent.data}).
 */
package dev.descent.gradient;
