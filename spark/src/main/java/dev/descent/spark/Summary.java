package dev.descent.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The cached data as the driver sees it: rows per partition, features, and a fingerprint, taken
 * in one pass when the blocks are first built.
 *
 * @param partitions each partition's counts, in partition order
 * @param cols       features per row
 * @param fingerprint SHA-256 over the partitions' own SHA-256s, in partition order: the same data
 *                   in the same partitions gives the same fingerprint
 */
record Summary(List<Part> partitions, int cols, String fingerprint) implements Serializable {
    /** One partition's training and held-out rows, and the SHA-256 of its features, labels and targets. */
    record Part(int partition, int trainRows, int validationRows, int cols, String sha256) implements Serializable {
        static Part of(Block b) {
            MessageDigest sha = newSha256();
            ByteBuffer buffer = ByteBuffer.allocate(8 * Math.max(1, b.cols()));
            digest(sha, buffer, b.x(), b.labels(), b.targets(), b.cols());
            digest(sha, buffer, b.validation().x(), b.validation().labels(), b.validation().targets(), b.cols());
            return new Part(b.partition(), b.rows(), b.validation().labels().length, b.cols(),
                    HexFormat.of().formatHex(sha.digest()));
        }

        /** Each row's features, then its label, and its target when there are targets. */
        private static void digest(MessageDigest sha, ByteBuffer buffer, double[] x, int[] labels, double[] targets,
                                   int cols) {
            for (int r = 0; r < labels.length; r++) {
                buffer.clear();
                for (int c = 0; c < cols; c++) {
                    buffer.putDouble(x[r * cols + c]);
                }
                sha.update(buffer.array(), 0, buffer.position());
                sha.update(ByteBuffer.allocate(4).putInt(labels[r]).array());
                if (targets != null) {
                    sha.update(ByteBuffer.allocate(8).putDouble(targets[r]).array());
                }
            }
        }
    }

    static Summary of(List<Part> parts) {
        int cols = -1;
        MessageDigest sha = newSha256();
        for (Part p : parts) {
            if (p.trainRows() + p.validationRows() > 0) {
                if (cols >= 0 && p.cols() != cols) {
                    throw new IllegalArgumentException("partitions of " + cols + " and " + p.cols()
                            + " features in one data set: every row needs the same number of features");
                }
                cols = p.cols();
            }
            sha.update(p.sha256().getBytes(StandardCharsets.US_ASCII));
        }
        return new Summary(List.copyOf(parts), Math.max(cols, 0), HexFormat.of().formatHex(sha.digest()));
    }

    long trainRows() {
        return partitions.stream().mapToLong(Part::trainRows).sum();
    }

    long validationRows() {
        return partitions.stream().mapToLong(Part::validationRows).sum();
    }

    long largestPartition() {
        return partitions.stream().mapToLong(Part::trainRows).max().orElse(0);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
