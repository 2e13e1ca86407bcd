/**
 * The fast path for training: {@link dev.descent.fused.FusedBackprop}, backpropagation for networks
 * of dense layers and relu, sigmoid or tanh on softmax cross-entropy, as one fused step per batch
 * in float64 or float32 across the cores: each core runs the batch's forward and backward pass on
 * its own rows, computes its share of the weight gradients over all the rows, and applies the
 * optimizer's update to its share of the parameters.
 *
 * <p>It computes what the layers' own forward and backward compute ({@code dev.descent.layers},
 * driven by {@code dev.descent.gradient.Backpropagation}); those stay the reference, and the
 * tests hold this package to them.
 *
 * <p>Not here: layers of your own (train those with {@code Backpropagation}), central differences
 * ({@code dev.descent.gradient}), or the products themselves ({@code dev.descent.tensor.Products}).
 */
package dev.descent.fused;
