/**
 * The fast path for training: {@link dev.descent.fused.FusedBackprop}, backpropagation for networks
 * of dense layers and relu, sigmoid or tanh on softmax cross-entropy, as one fused step per batch
 * in float64 or float32, one block of rows per core, with the optimizer's update applied to each
 * slice of the parameters as soon as its gradient is summed.
 *
 * <p>It computes what the layers' own forward and backward compute ({@code dev.descent.layers},
 * driven by {@code dev.descent.gradient.Backpropagation}); those stay the reference, and the
 * tests hold this package to them.
 *
 * <p>Not here: layers of your own (train those with {@code Backpropagation}), central differences
 * ({@code dev.descent.gradient}), or the products themselves ({@code dev.descent.tensor.Products}).
 */
package dev.descent.fused;
