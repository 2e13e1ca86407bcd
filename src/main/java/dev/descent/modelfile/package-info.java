/**
 * The JSON model format: {@link dev.descent.modelfile.ModelFile} reads and writes a
 * {@link dev.descent.modelfile.Model} (network, class names, how it was made).
 *
 * <p>Not here: Java serialization, ever; a model file is data and cannot name code to run.
 */
package dev.descent.modelfile;
