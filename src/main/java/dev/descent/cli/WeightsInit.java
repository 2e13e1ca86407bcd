package dev.descent.cli;

import dev.descent.network.Network;
import dev.descent.weights.WeightsFileException;
import dev.descent.weights.WeightsFiles;
import java.nio.file.Path;

/**
 * {@code --init FILE.safetensors} or {@code FILE.npz}: parameters from PyTorch or NumPy, under
 * torch.nn.Sequential's names, loaded into the network {@code --layers}, {@code --activation} and
 * {@code --input-shape} describe (dense layers and convolutions); a file that does not fit it is
 * one line naming the tensor and both shapes.
 */
final class WeightsInit {
    private WeightsInit() {}

    /** Whether {@code --init} names a weights file (by its ending) rather than a model file or a scheme. */
    static boolean names(String init) {
        return init != null && WeightsFiles.isWeightsFile(Path.of(init));
    }

    /** {@code network} with the file's parameters, read into it; the network is returned. */
    static Network load(Network network, Path file) {
        try {
            WeightsFiles.load(network, file);
        } catch (WeightsFileException e) {
            throw new UserError("--init: " + e.getMessage());
        }
        return network;
    }

    /** The start, in words, for headers and provenance. */
    static String describe(String init) {
        return "weights file " + init + " (torch.nn.Sequential names)";
    }
}
