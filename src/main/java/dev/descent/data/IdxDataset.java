package dev.descent.data;

import dev.descent.layers.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A directory of MNIST-style IDX files: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each plain or {@code .gz}
 * (the dotted spelling {@code train-images.idx3-ubyte} is accepted too). Images are flattened
 * row by row and scaled to [0, 1] (pixel / 255), and kept as bytes.
 *
 * <p>Class names are Fashion-MNIST's when the directory's path mentions "fashion", else the
 * digits 0-9.
 */
public final class IdxDataset {
    private IdxDataset() {}

    /** Fashion-MNIST's ten classes, in label order. */
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Whether {@code dir} holds the training files of an IDX data set. */
    public static boolean isIdxDirectory(Path dir) {
        return Files.isDirectory(dir) && find(dir, "train", "images") != null;
    }

    /** The IDX files of {@code dir} that Descent would read, training and test. */
    public static List<Path> files(Path dir) {
        List<Path> files = new ArrayList<>();
        for (String split : List.of("train", "t10k")) {
            for (String kind : List.of("images", "labels")) {
                Path p = find(dir, split, kind);
                if (p != null) {
                    files.add(p);
                }
            }
        }
        return files;
    }

    /**
     * The shape of the training images, one channel of rows × columns as the header of
     * {@code train-images} says ({@code 1x28x28}), or null when its images are not 2-D. Reads the
     * header alone.
     */
    public static Shape imageShape(Path dir) throws DataFormatException {
        int[] dims = IdxFile.dims(require(dir, "train", "images"));
        return dims.length == 3 && dims[1] > 0 && dims[2] > 0 ? new Shape(1, dims[1], dims[2]) : null;
    }

    /** The training set (the {@code train-*} files). */
    public static Dataset training(Path dir) throws DataFormatException {
        return load(dir, "train");
    }

    /** The test set (the {@code t10k-*} files). */
    public static Dataset test(Path dir) throws DataFormatException {
        return load(dir, "t10k");
    }

    static Dataset load(Path dir, String split) throws DataFormatException {
        Path images = require(dir, split, "images");
        Path labels = require(dir, split, "labels");
        IdxFile img = IdxFile.read(images);
        IdxFile lab = IdxFile.read(labels);
        if (img.dims().length < 2) {
            throw new DataFormatException(images + ": " + img.dims().length + " dimension; images need at least 2");
        }
        if (lab.dims().length != 1) {
            throw new DataFormatException(labels + ": " + lab.dims().length + " dimensions; labels have 1");
        }
        int n = img.dims()[0];
        if (lab.dims()[0] != n) {
            throw new DataFormatException(images + " holds " + n + " images but " + labels + " holds "
                    + lab.dims()[0] + " labels");
        }
        if (n == 0) {
            throw new DataFormatException(images + ": holds no images (the header's first dimension is 0)");
        }
        int features = img.data().length / n;
        if (features == 0) {
            throw new DataFormatException(images + ": images of 0 pixels (the header is "
                    + Arrays.toString(img.dims()) + ")");
        }
        int[] y = new int[n];
        int max = 0;
        for (int i = 0; i < n; i++) {
            y[i] = lab.data()[i] & 0xff;
            max = Math.max(max, y[i]);
        }
        boolean fashion = dir.toAbsolutePath().toString().toLowerCase(Locale.ROOT).contains("fashion");
        List<String> names = new ArrayList<>();
        for (int c = 0; c <= Math.max(max, 9); c++) {
            names.add(fashion && c < FASHION_CLASSES.size() ? FASHION_CLASSES.get(c) : Integer.toString(c));
        }
        return new Dataset(Features.ofBytes(img.data(), n, features, 1.0 / 255), y, names,
                dev.descent.io.Terminal.escape(dir.toString()) + " (" + split + ")");
    }

    private static Path require(Path dir, String split, String kind) throws DataFormatException {
        Path p = find(dir, split, kind);
        if (p == null) {
            String idx = kind.equals("images") ? "idx3" : "idx1";
            throw new DataFormatException(dir + ": no " + split + "-" + kind + "-" + idx + "-ubyte[.gz] file");
        }
        return p;
    }

    private static Path find(Path dir, String split, String kind) {
        String idx = kind.equals("images") ? "idx3" : "idx1";
        for (String name : List.of(split + "-" + kind + "-" + idx + "-ubyte", split + "-" + kind + "." + idx + "-ubyte")) {
            for (String suffix : List.of("", ".gz")) {
                Path p = dir.resolve(name + suffix);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
