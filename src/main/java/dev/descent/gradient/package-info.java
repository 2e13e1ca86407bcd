/**
 * Gradient sources: {@link dev.descent.gradient.Backpropagation} and
 * {@link dev.descent.gradient.CentralDifference}, both filling the same parameter gradients, so
 * either can train a network and each can check the other.
 *
 * <p>Not here: updating parameters ({@code dev.descent.optim}) or deciding when to stop
 * ({@code dev.descent.train}).
 */
package dev.descent.gradient;
