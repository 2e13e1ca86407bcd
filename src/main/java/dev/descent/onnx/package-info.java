/**
 * A model as an ONNX graph ({@link dev.descent.onnx.OnnxExport}), for ONNX Runtime and every other
 * serving stack that reads ONNX: its standardisation as the first nodes, a {@code Gemm} per dense
 * layer, its activations, and {@code Softmax} for a classifier's probabilities (its logits as a
 * second output) or the identity for regression, in float32 or float64.
 *
 * <p>The protobuf messages are generated at build time from {@code src/main/protobuf/onnx_subset.proto},
 * our own schema declaring only the messages written, with the ONNX specification's field numbers
 * (package {@code dev.descent.onnx.proto}). This package needs {@code protobuf-java} at run time,
 * an optional dependency of the library.
 *
 * <p>Not here: reading ONNX files, or any layer ONNX export cannot express: a network with a layer
 * of a user's own is refused, naming the layer.
 */
package dev.descent.onnx;
