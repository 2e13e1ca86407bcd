/**
 * Layers: each one's forward and backward side by side ({@link dev.descent.layers.Dense},
 * {@link dev.descent.layers.Activation}, {@link dev.descent.layers.Dropout}, and for images,
 * channels first ({@link dev.descent.layers.Shape}), {@link dev.descent.layers.Conv2d},
 * {@link dev.descent.layers.MaxPool2d}, {@link dev.descent.layers.AvgPool2d} and
 * {@link dev.descent.layers.Flatten}), written once as array kernels in float64 with a float32
 * twin below each, which both schedules of backpropagation run; the
 * {@link dev.descent.layers.Layer} interface a user implements to add one (and
 * {@link dev.descent.layers.ElementWise}, for one the fused schedule can run too); and
 * {@link dev.descent.layers.Parameter}, a tensor with its gradient.
 *
 * <p>Not here: how gradients are obtained for a whole network (see {@code dev.descent.gradient}),
 * how parameters are initialised ({@code dev.descent.init}) or updated ({@code dev.descent.optim}).
 */
package dev.descent.layers;
