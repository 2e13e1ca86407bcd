/**
 * How well a model predicts, as numbers: the {@link dev.descent.metrics.ConfusionMatrix} of a
 * classifier (accuracy, per-class precision, recall, F1 and support, macro and weighted averages)
 * and the {@link dev.descent.metrics.RegressionMetrics} of a regression model (MSE, RMSE, MAE and
 * R² per target), gathered as {@link dev.descent.metrics.Scores}.
 *
 * <p>Not here: pictures ({@code dev.descent.report}, with XChart), so that a program that only
 * scores its models needs no plotting library.
 */
package dev.descent.metrics;
