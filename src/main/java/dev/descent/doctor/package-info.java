/**
 * The training doctor: {@link dev.descent.doctor.Doctor} watches a run as {@code descent train}
 * runs it and reports {@link dev.descent.doctor.Finding}s with evidence and a fix:
 * {@link dev.descent.doctor.DataChecks} before training (scale, label and id columns, imbalance,
 * leakage), the run's gradients and loss during it (a rise, a step too small, a plateau, vanishing
 * gradients, saturated or dead units, NaN), and held-out data after it (overfitting, the majority
 * baseline, recall). Fixes are tried by short probes from the same start before they are suggested.
 *
 * <p>Not here: the gradient check itself ({@code dev.descent.gradcheck}) or the training loop.
 */
package dev.descent.doctor;
