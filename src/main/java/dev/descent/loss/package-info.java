/**
 * Losses of a network's output against class labels, each with its gradient:
 * {@link dev.descent.loss.SoftmaxCrossEntropy}, computed stably from log-softmax.
 *
 * <p>Not here: regression losses, label smoothing or class weights.
 */
package dev.descent.loss;
