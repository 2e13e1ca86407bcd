/**
 * The training doctor: {@link dev.descent.doctor.Doctor} trains while watching and reports
 * {@link dev.descent.doctor.Finding}s: a loss that rose (wrong gradient or too large a step), NaN
 * or infinity, dead ReLU units, contradictory data, or a healthy run.
 *
 * <p>Not here: the gradient check itself ({@code dev.descent.gradcheck}) or the training loop.
 */
package dev.descent.doctor;
