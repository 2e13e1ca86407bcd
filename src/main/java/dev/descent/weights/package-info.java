/**
 * A network's parameters in the files PyTorch and NumPy read and write: safetensors
 * ({@link dev.descent.weights.SafeTensors}) and {@code .npz} ({@link dev.descent.weights.Npz}, with
 * {@link dev.descent.weights.Npy} for each array), under the names {@code torch.nn.Sequential}
 * gives them ({@link dev.descent.weights.SequentialNames}: {@code 0.weight} [out][in],
 * {@code 0.bias}, {@code 2.weight}, ...; a convolution's weight [F][C][k][k], as nn.Conv2d's). {@link dev.descent.weights.WeightsFiles} chooses the
 * format by the file's name, checks a file against the network it is loaded into, and writes one.
 *
 * <p>The readers trust nothing in a file: header lengths, shapes, offsets and entry sizes are
 * checked against limits and against the file's own size before anything is allocated, offsets
 * that overlap or leave holes are refused, and an archive entry is never inflated past the size
 * its array header implies. Every problem is a {@link dev.descent.weights.WeightsFileException}
 * with a one-line message naming the file and the tensor.
 *
 * <p>Not here: the architecture (it comes from the caller's network), class names, the
 * standardisation or any other part of a model: those stay in the model file and the ONNX export.
 */
package dev.descent.weights;
