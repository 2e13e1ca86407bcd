package dev.descent.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.spark.Partitioner;

/**
 * One row on its way into a block: its label, weight and features in a compact kind (integers
 * 0 to 255 or such integers / 255, as pixels are, one byte a value; floats; doubles), in one byte
 * array led by a seeded hash of the rest. The hash decides the
 * block a row goes to and its place there, and whether it is held out, so the blocks depend on
 * the rows alone: not on how the input was partitioned, nor on the order in which a retried
 * stage delivers them.
 *
 * <pre>
 * [0, 8) hash   [8] kind   [9, 17) label   [17, 25) weight   [25, ...) features: cols bytes, floats or doubles
 * </pre>
 */
final class Records {
    static final int HEADER = 25;
    /**
     * A row's kinds: its values as bytes, as bytes / 255, as bytes · (1 / 255) (the library's IDX
     * reader's pixels: the two differ in the last bit of some values), as floats, or as doubles.
     */
    static final byte BYTES = 0, PIXELS = 1, SCALED = 4, FLOATS = 2, DOUBLES = 3;
    private static final double BY_255 = 1 / 255.0;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long HELD_SALT = 0x5DEECE66DL;

    private Records() {}

    /** Feature bytes of one row of {@code cols} values of {@code kind}. */
    static int featureBytes(byte kind, int cols) {
        return kind == BYTES || kind == PIXELS || kind == SCALED ? cols : kind == FLOATS ? 4 * cols : 8 * cols;
    }

    /** The narrowest kind that holds every value exactly; floats for any value of a float32 run. */
    static byte kindOf(double[] values, boolean float32) {
        boolean bytes = true, pixels = true, scaled = true;
        for (double v : values) {
            bytes = bytes && v >= 0 && v <= 255 && v == (int) v;
            pixels = pixels && v >= 0 && v <= 1 && v == Math.round(v * 255) / 255.0;
            scaled = scaled && v >= 0 && v <= 1 && v == Math.round(v * 255) * BY_255;
            if (!bytes && !pixels && !scaled) {
                break;
            }
        }
        return bytes ? BYTES : pixels ? PIXELS : scaled ? SCALED
                : Storage.fitFloats(values, values.length, float32) ? FLOATS : DOUBLES;
    }

    static byte[] encode(double[] values, byte kind, double label, double weight, long seed) {
        int cols = values.length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + featureBytes(kind, cols));
        b.position(8);
        b.put(kind).putDouble(label).putDouble(weight);
        for (double v : values) {
            if (kind == BYTES) {
                b.put((byte) (int) v);
            } else if (kind == PIXELS || kind == SCALED) {
                b.put((byte) Math.round(v * 255));
            } else if (kind == FLOATS) {
                b.putFloat((float) v);
            } else {
                b.putDouble(v);
            }
        }
        byte[] r = b.array();
        ByteBuffer.wrap(r).putLong(0, hash(r, seed));
        return r;
    }

    static long hashOf(byte[] r) {
        return ByteBuffer.wrap(r).getLong(0);
    }

    static byte kind(byte[] r) {
        return r[8];
    }

    static double label(byte[] r) {
        return ByteBuffer.wrap(r).getDouble(9);
    }

    static double weight(byte[] r) {
        return ByteBuffer.wrap(r).getDouble(17);
    }

    /** Reads the record's features into {@code values} (cols). Modifies values. */
    static void features(byte[] r, double[] values) {
        ByteBuffer b = ByteBuffer.wrap(r);
        byte kind = r[8];
        for (int j = 0; j < values.length; j++) {
            values[j] = kind == BYTES ? r[HEADER + j] & 0xff : kind == PIXELS ? (r[HEADER + j] & 0xff) / 255.0
                    : kind == SCALED ? (r[HEADER + j] & 0xff) * BY_255
                    : kind == FLOATS ? b.getFloat(HEADER + 4 * j) : b.getDouble(HEADER + 8 * j);
        }
    }

    /** Whether a row of this hash is held out, at fraction {@code fraction} of the rows. */
    static boolean heldOut(long hash, double fraction) {
        return fraction > 0 && (mix(hash ^ HELD_SALT) >>> 11) * 0x1.0p-53 < fraction;
    }

    /**
     * A seeded 64-bit hash of the row's kind, label and features, eight bytes at a time, then
     * MurmurHash3's finaliser (fmix64). Not of its weight: rows weighted alike go where they go
     * unweighted, so equal weights train what no weights train.
     */
    static long hash(byte[] r, long seed) {
        ByteBuffer b = ByteBuffer.wrap(r);
        long h = mix(seed * GOLDEN + r.length);
        h = Long.rotateLeft(h ^ mix(b.getLong(9)), 27) * GOLDEN + r[8];
        int i = HEADER;
        for (; i + 8 <= r.length; i += 8) {
            h = Long.rotateLeft(h ^ mix(b.getLong(i)), 27) * GOLDEN + 0x632BE59BD9B4E019L;
        }
        for (; i < r.length; i++) {
            h = (h ^ (r[i] & 0xff)) * 0x100000001B3L;
        }
        return mix(h);
    }

    /** MurmurHash3's 64-bit finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    /** A record's block: its hash modulo the blocks. */
    static final class ToBlock extends Partitioner {
        private final int blocks;

        ToBlock(int blocks) {
            this.blocks = blocks;
        }

        @Override
        public int numPartitions() {
            return blocks;
        }

        @Override
        public int getPartition(Object key) {
            return Math.floorMod(hashOf((byte[]) key), blocks);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ToBlock t && t.blocks == blocks;
        }

        @Override
        public int hashCode() {
            return blocks;
        }
    }

    /** Records by hash, then by content: a total order, so a block's rows come in one order whatever the input's. */
    static final class Order implements Comparator<byte[]>, Serializable {
        @Override
        public int compare(byte[] a, byte[] b) {
            int c = Long.compare(hashOf(a), hashOf(b));
            return c != 0 ? c : Arrays.compare(a, b);
        }
    }
}
