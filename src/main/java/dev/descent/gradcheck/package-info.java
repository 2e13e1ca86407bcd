/**
 * Gradient checking: {@link dev.descent.gradcheck.GradientCheck} compares backpropagation with
 * central differences for a whole network or a single layer (a user's own included), with a
 * tolerance scaled to each tensor's own gradient, and {@link dev.descent.gradcheck.TensorCheck}
 * says in words what is wrong: a flipped sign, a constant factor, the worst entry, entries within h
 * of a kink. The report also names a forward pass that is not repeatable, a source that moves the
 * parameters while it measures, and the layer whose input gradient lets an error in
 * ({@link dev.descent.gradcheck.InputBlame}). {@link dev.descent.gradcheck.SpsaCheck} checks a
 * zeroth-order estimate statistically, against theory for Gaussian directions.
 *
 * <p>Not here: training, or deciding what a failing check means for a training run (that is the
 * doctor's job, in {@code dev.descent.doctor}).
 */
package dev.descent.gradcheck;
