package dev.descent.spark;

import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The memory a fit needs on each executor, checked before the first step: a task holds the block
 * it trains on (deserialised, whether Spark kept it in memory or reads it back from disk) and
 * the network's working set (θ and its gradient, the optimizer's sums, the copies a
 * synchronisation sends and receives, a batch's activations), and an executor runs
 * {@code spark.executor.cores / spark.task.cpus} tasks at once beside Spark's own reserved
 * 300 MB. Cached blocks beyond that are Spark's to keep in memory or spill to disk
 * ({@code MEMORY_AND_DISK}), not a task's.
 */
final class Memory {
    /** Spark's reserved system memory on every executor ({@code UnifiedMemoryManager}). */
    static final long RESERVED = 300L << 20;

    private Memory() {}

    /** Bytes a task works in besides its block: about twelve copies of θ and four batches of activations. */
    static long workingSet(Plan plan) {
        long theta = plan.recipe().build(plan.inputs(), plan.outputs()).parameterCount();
        long widths = plan.inputs() + plan.outputs();
        for (int w : plan.recipe().hidden()) {
            widths += w;
        }
        return 8 * (12 * theta + 4L * Math.max(plan.batchSize() == Integer.MAX_VALUE ? 0 : plan.batchSize(),
                dev.descent.train.Evaluation.BATCH) * widths);
    }

    /** Throws, in one line with the numbers and the fixes, when a task's block and work do not fit an executor. */
    static void check(JavaSparkContext sc, Summary summary, Plan plan, long maxBlockBytes) {
        String problem = problem(executorHeap(sc), tasksPerExecutor(sc), summary.largestBlockBytes(), workingSet(plan),
                sc.isLocal(), maxBlockBytes);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is short, in words, or null when {@code tasks} tasks of a block and their work fit {@code heap}. */
    static String problem(long heap, int tasks, long block, long work, boolean local, long maxBlockBytes) {
        long need = need(block, work, tasks);
        if (need <= heap) {
            return null;
        }
        return String.format(Locale.ROOT, "each executor needs %d MB: Spark's reserved 300 MB and %d task%s at once, "
                + "each holding a block of up to %.1f MB and %.1f MB of network work; %s is %d MB: give executors more "
                + "memory, run fewer tasks on each (spark.executor.cores), or lower maxBlockMB (now %d)", need >> 20,
                tasks, tasks == 1 ? "" : "s", block / 1048576.0, work / 1048576.0,
                local ? "the driver's heap (local mode)" : "spark.executor.memory", heap >> 20, maxBlockBytes >> 20);
    }

    static long need(long block, long work, int tasks) {
        return RESERVED + tasks * (block + work);
    }

    /** The heap of an executor: in local mode, the driver's, where the tasks run. */
    static long executorHeap(JavaSparkContext sc) {
        return sc.isLocal() ? Runtime.getRuntime().maxMemory()
                : sc.getConf().getSizeAsBytes("spark.executor.memory", "1g");
    }

    /** Tasks one executor runs at once. */
    static int tasksPerExecutor(JavaSparkContext sc) {
        SparkConf conf = sc.getConf();
        int cpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
        if (sc.isLocal()) {
            return Math.max(1, sc.defaultParallelism() / cpus);
        }
        if (conf.contains("spark.executor.cores")) {
            return Math.max(1, conf.getInt("spark.executor.cores", 1) / cpus);
        }
        // standalone without spark.executor.cores: an executor takes its worker's cores; share them out
        int executors = Math.max(1, sc.sc().statusTracker().getExecutorInfos().length - 1);
        return Math.max(1, sc.defaultParallelism() / executors / cpus);
    }
}
