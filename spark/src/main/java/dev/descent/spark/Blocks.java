package dev.descent.spark;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The data of a fit as blocks, built by the estimator itself so that they are the same whatever
 * the input's partitioning and however often Spark recomputes them:
 *
 * <ol>
 *   <li>a first pass ({@link Census}) checks every row and counts the bytes the blocks will take;
 *   <li>the number of blocks is the larger of the partitions asked for and what keeps each block
 *       under {@code maxBlockBytes} (with room for the spread of a hash);
 *   <li>each row is encoded compactly ({@link Records}) and shuffled to block hash mod blocks,
 *       sorted there by hash and content: a seeded assignment of rows to blocks, and an order in
 *       each, that depends on the rows and the seed alone;
 *   <li>each block is read in one pass into chunks ({@link Block#read}) and cached at the storage
 *       level asked for ({@code MEMORY_AND_DISK} by default: a block that does not fit in memory
 *       goes to disk, never to recomputation).
 * </ol>
 *
 * <p>A retried task, or an executor lost with its cached blocks, rebuilds exactly the blocks it
 * lost, even when the input ends in a {@code repartition} whose rows land elsewhere on a retry.
 */
final class Blocks {
    /** Blocks are sized to this fraction of the bound, so that a hash's spread of rows stays under it. */
    static final double FILL = 0.8;

    /** The cached blocks' name, as Spark's UI and storage status show it. */
    static final String NAME = "descent blocks";

    private Blocks() {}

    /**
     * How many blocks: at least {@code partitions}, and enough that {@code bytes} fill none past
     * {@code maxBlockBytes}.
     */
    static int count(long bytes, int partitions, long maxBlockBytes) {
        long bySize = (long) Math.ceil(bytes / (FILL * maxBlockBytes));
        return (int) Math.max(Math.max(1, partitions), Math.min(Integer.MAX_VALUE, bySize));
    }

    /**
     * Builds the blocks of {@code columns} (features vector, label as double, weight as double,
     * each row checked by {@link Census} first), cached at {@code level}.
     */
    static JavaRDD<Block> build(Dataset<Row> columns, Block.Spec spec, int blocks, long seed, StorageLevel level) {
        boolean float32 = spec.float32();
        return columns.javaRDD()
                .mapToPair(row -> {
                    double[] values = ((Vector) row.getAs(0)).toArray();
                    return new Tuple2<>(Records.encode(values, Records.kindOf(values, float32), row.getDouble(1),
                            row.getDouble(2), seed), Boolean.TRUE);
                })
                .repartitionAndSortWithinPartitions(new Records.ToBlock(blocks), new Records.Order())
                .mapPartitionsWithIndex((index, records) -> List.of(Block.read(index, records, spec)).iterator(), true)
                .setName(NAME)
                .persist(level);
    }
}
