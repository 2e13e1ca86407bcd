/**
 * Losses of a network's output against class labels, each with its gradient:
 * {@link dev.descent.loss.SoftmaxCrossEntropy}, computed stably from log-softmax, with its row
 * kernel (loss and gradient in one pass per row, float64 and float32) that both schedules run.
 *
 * <p>Not here: regression losses, label smoothing or class weights.
 */
package dev.descent.loss;
