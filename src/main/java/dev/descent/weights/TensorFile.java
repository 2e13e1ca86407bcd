package dev.descent.weights;

import java.nio.file.Path;
import java.util.List;

/**
 * A file of named tensors, opened: what it declares is read and checked when it is opened, each
 * tensor's values only when asked for, so a file that does not fit the network is refused before
 * any of its values are read.
 */
public interface TensorFile extends AutoCloseable {
    /** The file. */
    Path path();

    /** The tensors the file declares, in its order; names are distinct. */
    List<TensorInfo> tensors();

    /** Every value of {@code tensor}, widened to double, row-major (C order) whatever the file's order. */
    double[] read(TensorInfo tensor) throws WeightsFileException;

    @Override
    void close();
}
