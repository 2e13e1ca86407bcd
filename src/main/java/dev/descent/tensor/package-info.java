/**
 * Dense row-major matrices of doubles and the named primitives ({@code matmul},
 * {@code addMatmulTransA}, {@code addRowVectorInPlace}, ...) that everything else is written in.
 *
 * <p>Not a general tensor library: no broadcasting, no views, no automatic differentiation.
 * Gradients are the business of {@code dev.descent.layers} and {@code dev.descent.gradient}.
 */
package dev.descent.tensor;
