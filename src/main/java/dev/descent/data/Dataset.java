package dev.descent.data;

import dev.descent.tensor.Matrix;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A labelled data set: for classification, a class label per row; for regression, real-valued
 * targets per row.
 *
 * <p>A regression set keeps its targets as a matrix (M, t), and the label of each row is the row
 * of that matrix holding its targets, which is how a regression loss reads them
 * ({@code dev.descent.loss.RegressionLoss}). Selecting rows (a validation split) keeps the
 * matrix and selects labels, so the parts share it.
 *
 * @param features    x: (N, features), one sample a row, stored compactly
 * @param labels      class index of each row, in [0, classNames.size()); for regression, the row of
 *                    {@code targets} holding the row's targets
 * @param classNames  the name of each class, in index order; for regression, of each target
 * @param description where it came from, for headers and model files
 * @param targets     for regression, the targets (M, t), t = classNames.size(); null for classification
 */
public record Dataset(Features features, int[] labels, List<String> classNames, String description, Matrix targets) {
    public Dataset {
        if (labels.length != features.rows()) {
            throw new IllegalArgumentException(features.rows() + " rows of features but " + labels.length + " labels");
        }
        classNames = List.copyOf(classNames);
        if (targets != null && targets.cols() != classNames.size()) {
            throw new IllegalArgumentException(targets.cols() + " targets per row but " + classNames.size() + " names");
        }
        int bound = targets == null ? classNames.size() : targets.rows();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= bound) {
                throw new IllegalArgumentException((targets == null ? "label " : "target row ") + labels[i] + " of row "
                        + (i + 1) + " is outside the " + bound + (targets == null ? " classes" : " rows of targets"));
            }
        }
    }

    /** A classification set. */
    public Dataset(Features features, int[] labels, List<String> classNames, String description) {
        this(features, labels, classNames, description, null);
    }

    /** A regression set: row i's targets are row i of {@code targets}: (N, t). */
    public static Dataset regression(Features features, Matrix targets, List<String> targetNames, String description) {
        int[] rows = new int[targets.rows()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return new Dataset(features, rows, targetNames, description, targets);
    }

    /** Whether the rows have real-valued targets rather than class labels. */
    public boolean isRegression() {
        return targets != null;
    }

    /** This set with its targets matrix replaced by one of the same shape (standardised, say). */
    public Dataset withTargets(Matrix newTargets) {
        if (targets == null || newTargets.rows() != targets.rows() || newTargets.cols() != targets.cols()) {
            throw new IllegalArgumentException("the new targets must have the shape of the old");
        }
        return new Dataset(features, labels, classNames, description, newTargets);
    }

    /** The targets of the rows, in row order: (N, t); regression only. */
    public Matrix rowTargets() {
        Matrix m = new Matrix(size(), targets.cols());
        for (int r = 0; r < size(); r++) {
            System.arraycopy(targets.data(), labels[r] * targets.cols(), m.data(), r * targets.cols(), targets.cols());
        }
        return m;
    }

    /** A data set over a matrix of doubles (used, not copied). */
    public Dataset(Matrix features, int[] labels, List<String> classNames, String description) {
        this(Features.of(features), labels, classNames, description);
    }

    public int size() {
        return labels.length;
    }

    public int featureCount() {
        return features.cols();
    }

    public int classCount() {
        return classNames.size();
    }

    /** All features as one matrix: the storage itself for a matrix-backed set, else a copy. */
    public Matrix featureMatrix() {
        return features.toMatrix();
    }

    /**
     * This set with its features held as one matrix of doubles, to be read many times (the
     * doctor's data); labels, names and any targets as they are.
     */
    public Dataset inMemory() {
        return new Dataset(Features.of(featureMatrix()), labels, classNames, description, targets);
    }

    /** One line: {@code seed example (10 samples x 5 features, 10 classes)}. */
    public String summary() {
        return description + " (" + size() + " samples x " + featureCount() + " features, "
                + classCount() + (isRegression() ? (classCount() == 1 ? " target)" : " targets)") : " classes)");
    }

    /**
     * SHA-256 of the features (as doubles, row by row) and the labels, in hex: written into model
     * files and checkpoints so a run can tell whether it is looking at the same data.
     */
    public String fingerprint() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(8 * Math.max(1, featureCount()));
        Batches.inOrder(features, 1000, (from, x) -> {
            for (int r = 0; r < x.rows(); r++) {
                buffer.clear();
                for (int c = 0; c < x.cols(); c++) {
                    buffer.putDouble(x.get(r, c));
                }
                sha.update(buffer.array(), 0, buffer.position());
            }
        });
        if (isRegression()) { // the targets themselves, row by row: the matrix's layout is not the data
            ByteBuffer row = ByteBuffer.allocate(8 * targets.cols());
            for (int label : labels) {
                row.clear();
                for (int j = 0; j < targets.cols(); j++) {
                    row.putDouble(targets.data()[label * targets.cols() + j]);
                }
                sha.update(row.array());
            }
            return HexFormat.of().formatHex(sha.digest());
        }
        ByteBuffer labelBytes = ByteBuffer.allocate(4 * labels.length);
        labelBytes.asIntBuffer().put(labels);
        sha.update(labelBytes.array());
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The rows listed in {@code rows}, in that order, as a view. */
    public Dataset select(int[] rows, String description) {
        int[] l = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            l[i] = labels[rows[i]];
        }
        return new Dataset(features.select(rows), l, classNames, description, targets);
    }

    /** The first {@code n} rows. */
    public Dataset head(int n) {
        int[] rows = new int[Math.min(n, size())];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return select(rows, description + ", first " + rows.length + " samples");
    }

    /** This set with its features standardised by {@code s}. */
    public Dataset standardized(Standardization s) {
        return new Dataset(features.standardized(s), labels, classNames, description, targets);
    }

    /**
     * Splits off a seeded random {@code fraction} of the rows as a validation set.
     *
     * @return {training, validation}
     */
    public Dataset[] splitValidation(double fraction, long seed) {
        int n = size();
        int validation = (int) Math.round(n * fraction);
        if (validation < 1 || validation >= n) {
            throw new IllegalArgumentException("a validation split of " + fraction + " of " + n + " samples leaves "
                    + validation + " for validation and " + (n - validation) + " for training; both need at least one");
        }
        int[] order = shuffled(n, new Random(seed));
        int[] train = Arrays.copyOfRange(order, validation, n);
        int[] valid = Arrays.copyOfRange(order, 0, validation);
        Arrays.sort(train);
        Arrays.sort(valid);
        return new Dataset[] {select(train, description + ", training split"),
                select(valid, description + ", validation split")};
    }

    /** 0..n-1 in a random order (Fisher–Yates with {@code rng}). */
    public static int[] shuffled(int n, Random rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffleInPlace(order, rng);
        return order;
    }

    /** Fisher–Yates shuffle of {@code a} with {@code rng}. Modifies a. */
    public static void shuffleInPlace(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
