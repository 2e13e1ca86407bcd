package dev.descent.gradient;

/**
 * Standard normal numbers as a function of a key and an index, {@code z(key, i) ~ N(0, 1)},
 * never of a generator's running state: a counter-based generator (Salmon, Moraes, Dror and Shaw
 * (2011), "Parallel Random Numbers: As Easy as 1, 2, 3"). So a random direction z of d entries
 * need never be stored: any core can regenerate any slice of it, in any order, from the key alone,
 * and a run resumed from a checkpoint draws the same directions.
 *
 * <p>Each pair of indices (2p, 2p + 1) takes one 64-bit SplitMix64 output, the mix of
 * {@code key + p·φ} (Steele, Lea and Flood (2014), "Fast Splittable Pseudorandom Number
 * Generators"), 32 bits each; the 32 bits become a normal number by the ziggurat method of
 * Marsaglia and Tsang (2000), "The Ziggurat Method for Generating Random Variables" (J. Stat.
 * Software 5(8)), with 128 layers: the low 7 bits choose a layer, the other 25 a signed position
 * in it, and 98.8% of draws end there with one comparison and one product. The rest (the layer's
 * wedge, or the tail beyond r = 3.4426) draw further uniforms from the SplitMix64 mix of the key,
 * the index and a counter. Layer and position come from different bits, which avoids the
 * correlation Doornik (2005) found when both are read from the same ones.
 *
 * <p>The tables and the rare paths use {@link StrictMath}, so every number is the same on every
 * machine; the common path is integer arithmetic and one product.
 */
public final class Gaussian {
    private Gaussian() {}

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final int LAYERS = 128;
    private static final double R = 3.442619855899; // where the tail starts
    private static final double SCALE = 1 << 24; // a position has 25 bits, signed
    private static final int[] K = new int[LAYERS]; // |position| below K[i]: inside layer i's rectangle
    private static final double[] W = new double[LAYERS]; // position -> value in layer i
    private static final double[] F = new double[LAYERS]; // the density at layer i's edge

    static {
        double v = 9.91256303526217e-3; // the area of each layer
        double dn = R, tn = dn;
        double q = v / StrictMath.exp(-0.5 * dn * dn);
        K[0] = (int) (dn / q * SCALE);
        K[1] = 0;
        W[0] = q / SCALE;
        W[LAYERS - 1] = dn / SCALE;
        F[0] = 1.0;
        F[LAYERS - 1] = StrictMath.exp(-0.5 * dn * dn);
        for (int i = LAYERS - 2; i >= 1; i--) {
            dn = StrictMath.sqrt(-2 * StrictMath.log(v / dn + StrictMath.exp(-0.5 * dn * dn)));
            K[i + 1] = (int) (dn / tn * SCALE);
            tn = dn;
            F[i] = StrictMath.exp(-0.5 * dn * dn);
            W[i] = dn / SCALE;
        }
    }

    /** z(key, index). */
    public static double at(long key, long index) {
        long h = pair(key, index >>> 1);
        return normal((index & 1) == 0 ? (int) h : (int) (h >>> 32), key, index);
    }

    /**
     * z[j] = z(key, first + j) for j in [0, len): one SplitMix64 output for each two numbers, the
     * common path inline and a call out for the 1.2% of rare draws.
     */
    public static void fill(long key, long first, double[] z, int len) {
        int j = 0;
        long index = first;
        if (len > 0 && (index & 1) != 0) {
            z[j++] = normal((int) (pair(key, index >>> 1) >>> 32), key, index++);
        }
        int[] k = K;
        double[] w = W;
        for (; j + 1 < len; j += 2, index += 2) {
            long h = pair(key, index >>> 1);
            int a = (int) h, b = (int) (h >>> 32);
            int layerA = a & (LAYERS - 1), positionA = a >> 7, layerB = b & (LAYERS - 1), positionB = b >> 7;
            double za = positionA * w[layerA], zb = positionB * w[layerB];
            if (Math.abs(positionA) >= k[layerA]) {
                za = rare(layerA, positionA, key, index);
            }
            if (Math.abs(positionB) >= k[layerB]) {
                zb = rare(layerB, positionB, key, index + 1);
            }
            z[j] = za;
            z[j + 1] = zb;
        }
        if (j < len) {
            z[j] = normal((int) pair(key, index >>> 1), key, index);
        }
    }

    /** A key of its own for each (key, stream): directions of one step, say. */
    public static long key(long key, long stream) {
        return mix(mix(key + GOLDEN) ^ (stream + 1) * 0xD1B54A32D192ED03L);
    }

    private static long pair(long key, long p) {
        return mix(key + p * GOLDEN);
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The normal number of 32 random bits: the low 7 choose the layer, the high 25 the signed position. */
    private static double normal(int bits, long key, long index) {
        int layer = bits & (LAYERS - 1), position = bits >> 7;
        if (Math.abs(position) < K[layer]) {
            return position * W[layer];
        }
        return rare(layer, position, key, index);
    }

    /** Outside the layer's rectangle: its wedge under the density, or the tail (Marsaglia and Tsang's nfix). */
    private static double rare(int layer, int position, long key, long index) {
        long counter = 0;
        while (true) {
            double x = position * W[layer];
            if (layer == 0) { // the tail beyond R, by Marsaglia's method
                double y;
                do {
                    x = -StrictMath.log(uniform(key, index, counter++)) / R;
                    y = -StrictMath.log(uniform(key, index, counter++));
                } while (y + y < x * x);
                return position > 0 ? R + x : -R - x;
            }
            if (F[layer] + uniform(key, index, counter++) * (F[layer - 1] - F[layer]) < StrictMath.exp(-0.5 * x * x)) {
                return x;
            }
            int bits = (int) mix(mix(key ^ index * GOLDEN) + counter++ * 0xD1B54A32D192ED03L);
            layer = bits & (LAYERS - 1);
            position = bits >> 7;
            if (Math.abs(position) < K[layer]) {
                return position * W[layer];
            }
        }
    }

    /** A uniform number in (0, 1) from the key, the index and a counter. */
    private static double uniform(long key, long index, long counter) {
        long h = mix(mix(key ^ index * GOLDEN) + counter * 0xD1B54A32D192ED03L);
        return ((h >>> 11) + 0.5) * 0x1.0p-53;
    }
}
