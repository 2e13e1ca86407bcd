/**
 * The training doctor: {@link dev.descent.doctor.Doctor} watches a run as {@code descent train}
 * runs it and reports {@link dev.descent.doctor.Finding}s with evidence and a fix:
 * {@link dev.descent.doctor.DataChecks} before training (scale, label and id columns, imbalance,
 * leakage), the run's gradients, its step and its loss during it (a rise, a step too small, a
 * plateau, vanishing or exploding gradients, saturated or dead units, NaN), and held-out rows after
 * it (the user's, or a part the doctor holds out itself): overfitting, a generalisation gap,
 * nothing learned, labels unrelated to the features, recall, label noise. One cause is one problem:
 * a finding another explains is told as its evidence. Every fix is the user's command with the fix
 * applied, probed from the same start and judged by one rule on held-out rows before it is printed.
 *
 * <p>Not here: the gradient check itself ({@code dev.descent.gradcheck}) or the training loop.
 */
package dev.descent.doctor;
