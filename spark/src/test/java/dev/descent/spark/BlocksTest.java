package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** Blocks: the same whatever the input's partitioning, as compact as the values allow, and bounded in size. */
class BlocksTest {
    /** {@code n} rows of {@code cols} pixels 0..255 (bytes' worth), labels 0..9, in {@code partitions} partitions. */
    static Dataset<Row> pixels(int n, int cols, int partitions, long seed) {
        Random rng = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[cols];
            for (int j = 0; j < cols; j++) {
                x[j] = rng.nextInt(256);
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) (i % 10)));
        }
        StructType schema = new StructType(new StructField[] {
            new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
            new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});
        return TestSpark.session().createDataFrame(TestSpark.sc().parallelize(rows, partitions), schema);
    }

    static Summary summary(JavaRDD<Block> blocks) {
        try {
            return Summary.of(blocks.map(Summary.Part::of).collect());
        } finally {
            blocks.unpersist(false);
        }
    }

    @Test
    void theBlocksDependOnTheRowsAndTheSeedNotOnHowTheInputIsPartitioned() {
        Dataset<Row> df = TestSpark.blobs(500, 6, 3, 1, 40);
        String one = summary(TestSpark.blocks(df, 3, 4, 7)).fingerprint();
        assertEquals(one, summary(TestSpark.blocks(TestSpark.blobs(500, 6, 3, 3, 40), 3, 4, 7)).fingerprint());
        assertEquals(one, summary(TestSpark.blocks(df.repartition(5), 3, 4, 7)).fingerprint());
        assertEquals(one, summary(TestSpark.blocks(df.orderBy(functions.rand(3)), 3, 4, 7)).fingerprint(),
                "rows in another order");
        assertTrue(!one.equals(summary(TestSpark.blocks(df, 3, 4, 8)).fingerprint()), "another seed, other blocks");
    }

    @Test
    void pixelsAreKeptAsBytesFloat32RunsAsFloatsAndOtherValuesAsDoubles() {
        Block bytes = TestSpark.blocks(pixels(300, 50, 2, 1), 10, 1, 1).collect().get(0);
        assertArrayEquals(new int[] {1, 0, 0}, bytes.train().features().kinds());
        assertEquals(300 * 50 + 8 * 256, bytes.train().features().bytes(), "a byte a value, and the 256 values once");
        // the same values read back exactly: gathered as doubles, they are the integers given
        double[] x = bytes.train().features().toMatrix().data();
        assertTrue(java.util.Arrays.stream(x).allMatch(v -> v >= 0 && v <= 255 && v == Math.rint(v)));

        Dataset<Row> gaussian = TestSpark.blobs(300, 4, 3, 2, 2);
        Block doubles = TestSpark.blocks(gaussian, 3, 1, 1).collect().get(0);
        assertArrayEquals(new int[] {0, 0, 1}, doubles.train().features().kinds());
        Dataset<Row> c = gaussian.select(gaussian.col("features"), gaussian.col("label"), functions.lit(1.0));
        Block floats = Blocks.build(c, new Block.Spec(4, false, false, 1.0, 0.0, true), 1, 1,
                StorageLevel.MEMORY_ONLY()).collect().get(0);
        assertArrayEquals(new int[] {0, 1, 0}, floats.train().features().kinds());
        assertEquals(300 * 4 * 4, floats.train().features().bytes());
    }

    @Test
    void aChunkOfFewDistinctValuesIsBytesWhateverTheValues() {
        Storage.Builder b = new Storage.Builder(3, false);
        b.add(new double[] {1, 2, 3});
        b.add(new double[] {0.5, -0.0, 3});
        b.add(new double[] {0.1, 255, 0});
        Storage s = b.build();
        assertArrayEquals(new int[] {1, 0, 0}, s.kinds());
        assertArrayEquals(new double[] {1, 2, 3, 0.5, -0.0, 3, 0.1, 255, 0}, s.toMatrix().data());
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(s.get(1, 1)), "−0.0 kept apart");
        float[] f = new float[9];
        s.gather(new int[] {2, 0, 1}, 0, 3, f, 0, 0, 3);
        assertArrayEquals(new float[] {0.1f, 255, 0, 1, 2, 3, 0.5f, -0.0f, 3}, f);
    }

    @Test
    void aRowTravelsInItsNarrowestKind() {
        assertEquals(Records.BYTES, Records.kindOf(new double[] {0, 17, 255}, false));
        assertEquals(Records.PIXELS, Records.kindOf(new double[] {0, 17 / 255.0, 1}, false));
        assertEquals(Records.SCALED, Records.kindOf(new double[] {0, 33 * (1 / 255.0), 1}, false),
                "the library's IDX pixels, b · (1/255), which differ from b / 255 in the last bit for b = 33");
        assertTrue(33 * (1 / 255.0) != 33 / 255.0);
        double[] scaled = {0, 33 * (1 / 255.0), 1}, decoded = new double[3];
        Records.features(Records.encode(scaled, Records.SCALED, 1, 1, 0), decoded);
        assertArrayEquals(scaled, decoded, 0.0);
        assertEquals(Records.FLOATS, Records.kindOf(new double[] {0.5, -3, 1e9}, false));
        assertEquals(Records.DOUBLES, Records.kindOf(new double[] {0.1}, false));
        assertEquals(Records.FLOATS, Records.kindOf(new double[] {0.1}, true));
        double[] pixels = {0, 17 / 255.0, 1}, back = new double[3];
        Records.features(Records.encode(pixels, Records.PIXELS, 1, 1, 0), back);
        assertArrayEquals(pixels, back, 0.0);
    }

    @Test
    void noBlockExceedsTheBoundWhateverTheInputsPartitions() {
        // 6,000 rows of 400 bytes: 2.5 MB in 1 input partition, at most 1 MB a block
        Dataset<Row> df = pixels(6000, 400, 1, 3);
        Dataset<Row> c = df.select(df.col("features"), df.col("label"), functions.lit(1.0));
        Census census = Census.take(c, 10, false);
        assertEquals(6000L * (400 + Census.ROW_OVERHEAD), census.bytes());
        int count = Blocks.count(census.bytes(), 2, 1 << 20);
        assertEquals(4, count); // 2.52 MB at 80% of 1 MB a block
        Summary s = summary(Blocks.build(c, new Block.Spec(400, false, false, 1.0, 0.0, false), count, 1,
                StorageLevel.MEMORY_AND_DISK()));
        assertEquals(6000, s.trainRows());
        assertTrue(s.largestBlockBytes() <= 1 << 20, "largest block " + s.largestBlockBytes());
    }

    @Test
    void aBadRowIsOneMessageBeforeAnyBlockIsBuilt() {
        Dataset<Row> df = TestSpark.blobs(50, 3, 3, 2, 4).withColumn("label",
                functions.when(functions.col("label").equalTo(0.0), 0.5).otherwise(functions.col("label")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DescentClassifier().setLayers(4).setEpochs(1).fit(df));
        assertEquals("label 0.5 is not a class index in [0, 3): labels must be 0, 1, ..., classes - 1 (StringIndexer "
                + "makes them from names)", e.getMessage());
        IllegalArgumentException weight = assertThrows(IllegalArgumentException.class,
                () -> new DescentClassifier().setLayers(4).setEpochs(1).setWeightCol("w")
                        .fit(TestSpark.blobs(50, 3, 3, 2, 4).withColumn("w", functions.lit(-1.0))));
        assertTrue(weight.getMessage().startsWith("weight -1.0 of a row with label "), weight.getMessage());
    }

    @Test
    void heldOutRowsAreAboutTheFractionAskedFor() {
        Dataset<Row> df = TestSpark.blobs(2000, 3, 3, 2, 5);
        Dataset<Row> c = df.select(df.col("features"), df.col("label"), functions.lit(1.0));
        Summary s = summary(Blocks.build(c, new Block.Spec(3, false, false, 1.0, 0.25, false), 2, 1,
                StorageLevel.MEMORY_AND_DISK()));
        assertEquals(2000, s.trainRows() + s.validationRows());
        assertTrue(Math.abs(s.validationRows() - 500) < 80, s.validationRows() + " held out");
    }
}
