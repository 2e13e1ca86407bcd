package dev.descent.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The cached data as the driver sees it: rows and bytes per block, features, and a fingerprint, taken
 * in one pass when the blocks are first built.
 *
 * @param partitions each partition's counts, in partition order
 * @param cols       features per row
 * @param fingerprint SHA-256 over the partitions' own SHA-256s, in partition order: the same data
 *                   in the same partitions gives the same fingerprint
 */
record Summary(List<Part> partitions, int cols, String fingerprint) implements Serializable {
    /** One block's training and held-out rows, its bytes, and the SHA-256 of its features, labels, targets and weights. */
    record Part(int partition, int trainRows, int validationRows, int cols, long bytes, String sha256)
            implements Serializable {
        static Part of(Block b) {
            MessageDigest sha = newSha256();
            digest(sha, b.train(), b.cols());
            digest(sha, b.validation(), b.cols());
            return new Part(b.index(), b.train().count(), b.validation().count(), b.cols(), b.bytes(),
                    HexFormat.of().formatHex(sha.digest()));
        }

        /** Each row's features, then its label, and its target and weight where there are. */
        private static void digest(MessageDigest sha, Rows rows, int cols) {
            int n = rows.count(), chunk = 256;
            double[] x = new double[chunk * cols];
            int[] order = new int[chunk];
            ByteBuffer buffer = ByteBuffer.allocate(8 * Math.max(1, cols) + 20);
            for (int from = 0; from < n; from += chunk) {
                int count = Math.min(chunk, n - from);
                for (int i = 0; i < count; i++) {
                    order[i] = from + i;
                }
                rows.features().gather(order, 0, count, x, 0, 0, cols);
                for (int i = 0; i < count; i++) {
                    buffer.clear();
                    for (int c = 0; c < cols; c++) {
                        buffer.putDouble(x[i * cols + c]);
                    }
                    buffer.putInt(rows.labels()[from + i]);
                    if (rows.targets() != null) {
                        buffer.putDouble(rows.targets()[from + i]);
                    }
                    if (rows.weights() != null) {
                        buffer.putDouble(rows.weights()[from + i]);
                    }
                    sha.update(buffer.array(), 0, buffer.position());
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

    /** Bytes of the largest block. */
    long largestBlockBytes() {
        return partitions.stream().mapToLong(Part::bytes).max().orElse(0);
    }

    /** Bytes of every block. */
    long bytes() {
        return partitions.stream().mapToLong(Part::bytes).sum();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
