package dev.descent.spark.bench;

import dev.descent.data.Dataset;
import dev.descent.data.IdxDataset;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.spark.DescentClassifier;
import dev.descent.train.Evaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Fashion-MNIST read from Parquet (written once by {@code FashionMnistToParquet}): Descent's
 * estimator in its modes and synchronisations against partitions 2, 4 and 8, beside MLlib's
 * MultilayerPerceptronClassifier and the library in one process on the same recipe, all in one
 * run; test accuracy and fit time, one table. Run by spark/bench/fmnist-spark.sh; results in
 * docs/spark.md.
 *
 * <p>Arguments: the Parquet directory (train.parquet, test.parquet), the master, the epochs of
 * the exact runs, and what to run: {@code compare} (the table) or {@code sync} (exact mode, one
 * job per step against one barrier stage per epoch, alternated).
 */
public final class FashionMnistOnSpark {
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    record Result(String what, double accuracy, double seconds) {}

    public static void main(String[] args) throws Exception {
        String parquet = args[0], master = args[1], what = args.length > 3 ? args[3] : "compare";
        int exactEpochs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        SparkSession.Builder builder = SparkSession.builder().master(master).appName("fmnist-spark")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1");
        if (master.startsWith("local-cluster")) { // executors of their own: the bench's class path (see TestSpark)
            builder.config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                    .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        AtomicLong shuffleRecordsRead = new AtomicLong(), heap = new AtomicLong(), memory = new AtomicLong(),
                disk = new AtomicLong();
        org.apache.spark.SparkContext sc = spark.sparkContext();
        sc.addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                    shuffleRecordsRead.addAndGet(end.taskMetrics().shuffleReadMetrics().recordsRead());
                }
            }

            @Override
            public void onStageExecutorMetrics(org.apache.spark.scheduler.SparkListenerStageExecutorMetrics m) {
                if (!m.execId().equals("driver")) {
                    heap.accumulateAndGet(m.executorMetrics().getMetricValue("JVMHeapMemory"), Math::max);
                }
            }

            @Override
            public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted stage) {
                for (org.apache.spark.storage.RDDInfo info : sc.getRDDStorageInfo()) {
                    if (info.name().equals("descent blocks")) { // Blocks.NAME
                        memory.accumulateAndGet(info.memSize(), Math::max);
                        disk.accumulateAndGet(info.diskSize(), Math::max);
                    }
                }
            }
        });
        org.apache.spark.sql.Dataset<Row> train = spark.read().parquet(parquet + "/train.parquet");
        org.apache.spark.sql.Dataset<Row> test = spark.read().parquet(parquet + "/test.parquet");
        System.err.printf(Locale.ROOT, "%s: %d training rows in %d input partitions, %d test rows%n", master,
                train.count(), train.rdd().getNumPartitions(), test.count());
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        DescentClassifier recipe = new DescentClassifier().setLayers(128).setActivation("relu").setInit("he")
                .setOptimizer("sgd").setLearningRate(0.1).setBatchSize(128).setEpochs(10).setSeed(1);
        List<Result> results = new ArrayList<>();

        if (what.equals("sync")) {
            for (int round = 0; round < 3; round++) {
                for (String sync : new String[] {"jobs", "barrier"}) {
                    results.add(fit("exact, " + sync + ", 2 partitions, " + exactEpochs + " epoch(s), round " + (round + 1),
                            () -> recipe.copy(new ParamMap()).setTrainingMode("exact").setEpochs(exactEpochs)
                                    .setNumPartitions(2).setSynchronization(sync), train, test, accuracy));
                }
            }
        } else if (what.equals("big")) {
            long before = shuffleRecordsRead.get(), rows = train.count();
            results.add(fit("Descent averaged once per epoch, " + exactEpochs + " epoch(s), maxBlockMB 256, " + rows
                    + " rows", () -> recipe.copy(new ParamMap()).setTrainingMode("averaged").setEpochs(exactEpochs)
                            .setMaxBlockMB(256), train, test, accuracy));
            System.out.printf(Locale.ROOT, "shuffle records read during the fit: %d (the training rows: %d; more "
                    + "would mean blocks rebuilt)%n", shuffleRecordsRead.get() - before, rows);
            System.out.printf(Locale.ROOT, "blocks cached at most: %.0f MB in memory, %.0f MB on disk; executors' "
                    + "peak JVM heap %.0f MB%n", memory.get() / 1048576.0, disk.get() / 1048576.0,
                    heap.get() / 1048576.0);
        } else {
            results.add(library(IdxDataset.training(DATA), IdxDataset.test(DATA), recipe));
            results.add(fit("MLlib MLP sigmoid, l-bfgs, 50 iterations, " + train.rdd().getNumPartitions()
                    + " input partitions", () -> mllib("l-bfgs", 50), train, test, accuracy));
            results.add(fit("Descent exact (jobs), 1 epoch, 2 partitions", () -> recipe.copy(new ParamMap())
                    .setTrainingMode("exact").setEpochs(1).setNumPartitions(2).setSynchronization("jobs"), train, test,
                    accuracy));
            for (int partitions : new int[] {2, 4, 8}) {
                results.add(fit("Descent averaged once per epoch, " + partitions + " partitions",
                        () -> recipe.copy(new ParamMap()).setTrainingMode("averaged").setNumPartitions(partitions),
                        train, test, accuracy));
                results.add(fit("Descent averaged every 32 steps, " + partitions + " partitions",
                        () -> recipe.copy(new ParamMap()).setTrainingMode("averaged").setAveragingSteps(32)
                                .setNumPartitions(partitions), train, test, accuracy));
                results.add(fit("Descent exact (barrier), " + exactEpochs + " epoch(s), " + partitions + " partitions",
                        () -> recipe.copy(new ParamMap()).setTrainingMode("exact").setEpochs(exactEpochs)
                                .setNumPartitions(partitions), train, test, accuracy));
            }
        }
        spark.stop();

        System.out.println("| trainer (784-128-10) | test accuracy | fit time |");
        System.out.println("|---|---|---|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %.2f%% | %.1f s |%n", r.what, 100 * r.accuracy, r.seconds);
        }
    }

    private static MultilayerPerceptronClassifier mllib(String solver, int iterations) {
        return new MultilayerPerceptronClassifier().setLayers(new int[] {784, 128, 10}).setSolver(solver)
                .setMaxIter(iterations).setTol(0).setSeed(1).setBlockSize(128);
    }

    private static Result fit(String what, Supplier<? extends org.apache.spark.ml.Estimator<?>> estimator,
                              org.apache.spark.sql.Dataset<Row> train, org.apache.spark.sql.Dataset<Row> test,
                              MulticlassClassificationEvaluator accuracy) {
        long start = System.nanoTime();
        Model<?> model = (Model<?>) estimator.get().fit(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        double a = accuracy.evaluate(model.transform(test));
        System.err.printf(Locale.ROOT, "%s: %.2f%% in %.1f s%n", what, 100 * a, seconds);
        return new Result(what, a, seconds);
    }

    /** The library alone, one process, the recipe the estimator's params describe: ./descent train's fmnist-mlp. */
    private static Result library(Dataset train, Dataset test, DescentClassifier estimator) {
        Recipe recipe = estimator.recipe(Recipe.Task.CLASSIFICATION);
        Network net = recipe.network(train);
        long start = System.nanoTime();
        recipe.trainer(train).fit(net, train);
        double seconds = (System.nanoTime() - start) / 1e9;
        double a = Evaluation.of(net, recipe.loss(test), test).accuracy();
        System.err.printf(Locale.ROOT, "library: %.2f%% in %.1f s%n", 100 * a, seconds);
        return new Result("Descent library, one process (no Spark)", a, seconds);
    }

    static boolean exists(String path) {
        return Files.exists(Path.of(path));
    }
}
