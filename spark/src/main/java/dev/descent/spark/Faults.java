package dev.descent.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.TaskContext;

/**
 * A seam for the tests: fails one partition's task at a chosen epoch and synchronisation, once,
 * so that a test can check that Spark's retry gives the same result. The plan travels with the
 * job as a local property of the thread that runs the fit ({@link #PROPERTY}), so it reaches
 * executors in other JVMs (local-cluster) as well as local mode's threads; a marker file, made
 * by the failing task, makes it happen once. {@code exit} ends the executor's JVM, as a lost
 * machine would, taking its cached blocks with it; {@code throw} fails the task.
 */
final class Faults {
    /** partition|epoch|sync|marker file|throw or exit */
    static final String PROPERTY = "descent.test.fault";

    private Faults() {}

    static String plan(int partition, int epoch, int sync, File marker, boolean exit) {
        return partition + "|" + epoch + "|" + sync + "|" + marker.getAbsolutePath() + "|" + (exit ? "exit" : "throw");
    }

    static void maybeFail(int partition, int epoch, int sync) {
        TaskContext task = TaskContext.get();
        String plan = task == null ? null : task.getLocalProperty(PROPERTY);
        if (plan == null || plan.isEmpty()) {
            return;
        }
        String[] f = plan.split("\\|");
        if (Integer.parseInt(f[0]) != partition || Integer.parseInt(f[1]) != epoch || Integer.parseInt(f[2]) != sync) {
            return;
        }
        try {
            if (!new File(f[3]).createNewFile()) {
                return; // failed once already
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (f[4].equals("exit")) {
            Runtime.getRuntime().halt(57);
        }
        throw new IllegalStateException("a failure injected by a test: partition " + partition + ", epoch " + epoch
                + ", synchronisation " + sync);
    }
}
