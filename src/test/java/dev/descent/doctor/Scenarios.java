package dev.descent.doctor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded CSV data sets, each built for one way a run can go wrong (or for none): the doctor's
 * scenarios. Features are Gaussian blobs around class centres, so a network can learn them.
 */
public final class Scenarios {
    private Scenarios() {}

    /** A mutable table of rows: features then a label. */
    public static class Table {
        public final double[][] x;
        public final String[] y;
        public String[] names;

        Table(double[][] x, String[] y) {
            this.x = x;
            this.y = y;
            names = new String[x[0].length];
            for (int j = 0; j < names.length; j++) {
                names[j] = "x" + (j + 1);
            }
        }

        public Path write(Path file) {
            StringBuilder sb = new StringBuilder(String.join(",", names)).append(",label\n");
            for (int i = 0; i < x.length; i++) {
                for (double v : x[i]) {
                    sb.append(String.format(Locale.ROOT, "%.6g", v)).append(',');
                }
                sb.append(y[i]).append('\n');
            }
            try {
                Files.writeString(file, sb.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }
    }

    /** A table of these rows and labels. */
    public static Table table(double[][] x, String[] y) {
        return new Table(x, y);
    }

    /**
     * The same rows with the last feature written as the label column and the labels as a feature
     * column named {@code name} (so the file's last column is that feature, and --label name picks the labels).
     */
    public static Table swapLabel(Table t, String name) {
        int d = t.x[0].length;
        return new Table(t.x, t.y) {
            @Override
            public Path write(Path file) {
                StringBuilder sb = new StringBuilder();
                for (int j = 0; j < d - 1; j++) {
                    sb.append(t.names[j]).append(',');
                }
                sb.append(name).append(',').append(t.names[d - 1]).append('\n');
                for (int i = 0; i < t.x.length; i++) {
                    for (int j = 0; j < d - 1; j++) {
                        sb.append(String.format(Locale.ROOT, "%.6g", t.x[i][j])).append(',');
                    }
                    sb.append(t.y[i]).append(',').append(String.format(Locale.ROOT, "%.6g", t.x[i][d - 1])).append('\n');
                }
                try {
                    Files.writeString(file, sb.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return file;
            }
        };
    }

    /** n rows of d features around k class centres (sd 1 noise, centres sd {@code spread}); labels c0, c1, ... */
    public static Table blobs(int n, int d, int k, double spread, long seed) {
        Random rng = new Random(seed);
        double[][] centres = new double[k][d];
        for (double[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = spread * rng.nextGaussian();
            }
        }
        double[][] x = new double[n][d];
        String[] y = new String[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(k);
            for (int j = 0; j < d; j++) {
                x[i][j] = centres[c][j] + rng.nextGaussian();
            }
            y[i] = "c" + c;
        }
        return new Table(x, y);
    }

    /** Two classes, the second a fraction {@code minority} of the rows, overlapping. */
    public static Table imbalanced(int n, int d, double minority, double separation, long seed) {
        Random rng = new Random(seed);
        double[][] x = new double[n][d];
        String[] y = new String[n];
        for (int i = 0; i < n; i++) {
            boolean rare = rng.nextDouble() < minority;
            for (int j = 0; j < d; j++) {
                x[i][j] = rng.nextGaussian() + (rare && j == 0 ? separation : 0);
            }
            y[i] = rare ? "rare" : "common";
        }
        return new Table(x, y);
    }

    /** Rows {@code from} to {@code to} of a table: held-out rows from the same generator, for --test. */
    public static Table rows(Table t, int from, int to) {
        Table out = new Table(java.util.Arrays.copyOfRange(t.x, from, to), java.util.Arrays.copyOfRange(t.y, from, to));
        out.names = t.names.clone();
        return out;
    }

    /** The labels shuffled against the rows, by a seeded shuffle: labels unrelated to the features. */
    public static Table shuffledLabels(Table t, long seed) {
        String[] y = t.y.clone();
        java.util.Collections.shuffle(java.util.Arrays.asList(y), new Random(seed));
        Table out = new Table(t.x, y);
        out.names = t.names.clone();
        return out;
    }

    /** A fraction of the labels moved to another class, seeded: label noise. */
    public static Table flippedLabels(Table t, int classes, double fraction, long seed) {
        Random rng = new Random(seed);
        String[] y = t.y.clone();
        for (int i = 0; i < y.length; i++) {
            if (rng.nextDouble() < fraction) {
                y[i] = "c" + ((Integer.parseInt(y[i].substring(1)) + 1 + rng.nextInt(classes - 1)) % classes);
            }
        }
        Table out = new Table(t.x, y);
        out.names = t.names.clone();
        return out;
    }

    /**
     * A small tabular set shaped like scikit-learn's wine (178 rows, 13 features, 3 classes), its
     * columns on wine's scales: alcohol near 13, magnesium near 100, proline near 750, the others
     * between 0.1 and 20. Generated, since scikit-learn's data is not at hand to a Java test.
     */
    public static Table wineLike(int n, long seed) {
        Table t = blobs(n, 13, 3, 1.5, seed);
        double[] sd = {0.8, 1.1, 0.3, 3.3, 14, 0.6, 1, 0.12, 0.6, 2.3, 0.23, 0.7, 315};
        double[] mean = {13, 2.3, 2.4, 19.5, 100, 2.3, 2, 0.36, 1.6, 5, 0.96, 2.6, 747};
        for (double[] row : t.x) {
            for (int j = 0; j < 13; j++) {
                row[j] = mean[j] + sd[j] * row[j] / 2;
            }
        }
        t.names = new String[] {"alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols",
                "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue",
                "od280_od315", "proline"};
        return t;
    }
}
