/**
 * What a person looks at after training: the loss curve as a picture
 * ({@link dev.descent.report.LossPlot}, drawn with XChart) and the history as CSV.
 *
 * <p>Not here: anything that computes the numbers shown.
 */
package dev.descent.report;
