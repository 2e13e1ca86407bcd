/**
 * The fast schedule of backpropagation: {@link dev.descent.fused.FusedBackprop}, one fused step
 * per batch in float64 or float32 across the cores. Each core runs the batch's forward and
 * backward pass on its own rows, computes its share of the weight gradients over all the rows,
 * and applies the optimizer's update to its share of the parameters. And of zeroth-order steps:
 * {@link dev.descent.fused.FusedSpsa}, whose forward passes ({@code Forward}) run the same way,
 * each core its rows, and whose perturbations and update ({@code SpsaSchedule}) each core runs on
 * its share of θ. The same schedules evaluate a data set ({@code FusedBackprop#evaluate}): their
 * forward stages alone, each core its rows, nothing kept for a backward pass.
 *
 * <p>Only the schedule lives here ({@code Schedule}: blocks of rows, the barrier, the slices of
 * the update; {@code Ops}: which float64 or float32 twin to call). Every formula is a kernel of
 * the layer or the loss it belongs to ({@code dev.descent.layers.Dense},
 * {@code dev.descent.layers.ElementWise}, {@code dev.descent.loss.Loss#rows}, and SPSA's in
 * {@code dev.descent.gradient.Spsa}), the same kernels
 * the reference schedule ({@code dev.descent.gradient.Backpropagation}) runs, and the tests hold
 * the two to each other.
 *
 * <p>Not here: layers of your own between the dense layers (FusedBackprop trains those on the
 * reference schedule), central differences ({@code dev.descent.gradient}), or the products
 * themselves ({@code dev.descent.tensor.Products}).
 */
package dev.descent.fused;
