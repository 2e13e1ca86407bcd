/**
 * Seeded parameter initialisation: {@link dev.descent.init.Initializer} (uniform01, xavier, he, pytorch).
 *
 * <p>Not here: starting from a saved model, which {@code dev.descent.modelfile} reads.
 */
package dev.descent.init;
