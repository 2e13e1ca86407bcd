/**
 * Losses of a network's output, each with its gradient and its row kernel (loss and gradient in
 * one pass per row, float64 and float32) that both schedules run: against class labels,
 * {@link dev.descent.loss.SoftmaxCrossEntropy}, computed stably from log-softmax; against
 * real-valued targets ({@link dev.descent.loss.RegressionLoss}),
 * {@link dev.descent.loss.MeanSquaredError} and {@link dev.descent.loss.Huber}. The cross-entropy
 * may weigh each class ({@link dev.descent.loss.ClassWeights}: balanced, or given by name), in
 * its row kernels too.
 *
 * <p>Not here: label smoothing, per-sample weights, or penalties on the parameters (weight decay
 * is the optimizer's, in {@code dev.descent.optim}).
 */
package dev.descent.loss;
