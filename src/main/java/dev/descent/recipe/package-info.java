/**
 * What a training run is, defined once: {@link dev.descent.recipe.Recipe}, an immutable value with
 * two presets (the seed example's and real data's) whose every default is a constant of
 * {@link dev.descent.recipe.Defaults}. It makes the network, the loss, the step, the optimizer and
 * the trainer, and writes its own provenance. The command line, the doctor, Descent on Spark and a
 * Java program build a recipe and say where the data comes from.
 *
 * <p>Not here: reading, splitting or standardising data, the training loop
 * ({@code dev.descent.train}), or anything printed.
 */
package dev.descent.recipe;
