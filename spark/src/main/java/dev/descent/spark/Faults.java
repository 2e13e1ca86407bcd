package dev.descent.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;

/**
 * A seam for the tests: makes the first attempt of one partition's task fail at a chosen epoch
 * and synchronisation, so that a test can check that Spark's retry gives the same result. Set
 * only by tests, in local mode, where tasks run in the driver's JVM; null otherwise.
 */
final class Faults {
    /** Partition, epoch and synchronisation to fail at, and how many failures were made. */
    record Plan(int partition, int epoch, int sync, AtomicInteger made) {}

    static volatile Plan plan;

    private Faults() {}

    static void maybeFail(int partition, int epoch, int sync) {
        Plan p = plan;
        TaskContext task = TaskContext.get();
        if (p != null && task != null && task.attemptNumber() == 0 && p.partition() == partition
                && p.epoch() == epoch && p.sync() == sync) {
            p.made().incrementAndGet();
            throw new IllegalStateException("a failure injected by a test: partition " + partition + ", epoch " + epoch
                    + ", synchronisation " + sync);
        }
    }
}
