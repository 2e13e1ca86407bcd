package dev.descent.spark;

import dev.descent.Descent;
import dev.descent.checkpoint.Checkpoint;
import dev.descent.checkpoint.CheckpointFile;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Dtype;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingListener;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One distributed fit, shared by {@link DescentClassifier} and {@link DescentRegressor}: the rows
 * checked and cached in blocks ({@link Blocks}), the memory a task needs checked, the recipe's network built and initialised, the mode chosen, the library's
 * {@code Trainer} run over {@link DistributedEpochs} (the same policy as a local run: listeners,
 * the stop on NaN, early stopping, checkpoints, resume), the blocks released.
 */
final class Fit {
    private Fit() {}

    /**
     * What only a distributed fit has, beside the recipe: held-out rows, how the data is cut into
     * blocks and cached, how the partitions share the work and meet, where checkpoints go, and
     * the depth of the sums.
     */
    record Distribution(double validationFraction, String trainingMode, int averagingSteps, String checkpointDir,
                        int depth, int[] layers, int partitions, long maxBlockBytes, String storageLevel,
                        String synchronization) {
        /** The estimator's distributed params, checked. */
        static Distribution of(DescentParams<?> p) {
            if (p.getPatience() > 0 && p.getValidationFraction() == 0) {
                throw new IllegalArgumentException("patience needs held-out rows: set validationFraction too");
            }
            for (int width : p.getLayers()) {
                if (width < 1) {
                    throw new IllegalArgumentException("layers " + Arrays.toString(p.getLayers())
                            + ": every width must be at least 1");
                }
            }
            return new Distribution(p.getValidationFraction(), p.getTrainingMode(), p.getAveragingSteps(),
                    p.getCheckpointDir(), p.getAggregationDepth(), p.getLayers(), p.getNumPartitions(),
                    (long) p.getMaxBlockMB() << 20, p.getStorageLevel(), p.getSynchronization());
        }

        /** How the model file names the trainer: {@code descent-spark averaged, averaging every 4 steps}. */
        String describe() {
            return "descent-spark " + trainingMode + (averagingSteps > 0 && trainingMode.equals("averaged")
                    ? ", averaging every " + averagingSteps + " steps" : "");
        }

        /**
         * MLlib's {@code layers} is [inputs, hidden..., outputs]; Descent's is the hidden widths
         * alone. A list that starts with the features and ends with the outputs is MLlib's.
         */
        void checkLayers(int cols, int outputs, boolean regression) {
            if (layers.length >= 2 && layers[0] == cols && layers[layers.length - 1] == outputs) {
                int[] hidden = Arrays.copyOfRange(layers, 1, layers.length - 1);
                throw new IllegalArgumentException("layers " + Arrays.toString(layers) + " reads as MLlib's [inputs, "
                        + "hidden..., outputs]: Descent's layers are the hidden widths alone, the " + cols + " inputs and "
                        + outputs + (regression ? " output" : " classes") + " come from the data, so set layers to "
                        + Arrays.toString(hidden));
            }
        }
    }

    /** The trained network, its history, and what it was trained on and by. */
    record Result(Network network, History history, Summary summary, Recipe recipe) {
        /**
         * The model file's {@code training} record: the data, then the trainer (what only a
         * distributed run has), then the recipe's own entries and the history's, as the command
         * line writes them.
         */
        Map<String, Object> provenance(Distribution d) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("descent", Descent.VERSION);
            t.put("data", "Spark DataFrame, " + summary.trainRows() + " training and " + summary.validationRows()
                    + " held-out rows in " + summary.partitions().size() + " blocks");
            t.put("dataFingerprint", summary.fingerprint());
            t.put("trainer", d.describe());
            t.putAll(recipe.provenance());
            t.putAll(history.provenance(recipe.task() == Recipe.Task.CLASSIFICATION));
            return t;
        }
    }

    /**
     * Trains {@code recipe} on {@code featuresCol} against {@code labelCol}, each row weighted by
     * {@code weightCol} unless it is empty: class indices of {@code classes} classes, or real
     * targets for {@link Block#REGRESSION} (one linear output).
     */
    static Result run(Dataset<?> dataset, String featuresCol, String labelCol, String weightCol, int classes,
                      Recipe recipe, Distribution d, List<String> settingsText, List<TrainingListener> listeners) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        boolean weighted = !weightCol.isEmpty(), regression = classes == Block.REGRESSION;
        Dataset<Row> columns = dataset.select(dataset.col(featuresCol), dataset.col(labelCol).cast("double"),
                weighted ? dataset.col(weightCol).cast("double") : functions.lit(1.0));
        int outputs = regression ? 1 : classes;
        boolean float32 = recipe.dtype() == Dtype.FLOAT32;
        CheckpointDir dir = d.checkpointDir().isEmpty() ? null
                : CheckpointDir.of(d.checkpointDir(), sc.hadoopConfiguration());
        Census census = Census.take(columns, classes, float32);
        if (census.rows() == 0) {
            throw new IllegalArgumentException("no rows to train on in column " + featuresCol);
        }
        if (weighted && census.weightSum() == 0) {
            throw new IllegalArgumentException("every weight in " + weightCol + " is 0: nothing to train on");
        }
        d.checkLayers(census.cols(), outputs, regression);
        int partitions = d.partitions() > 0 ? d.partitions() : sc.defaultParallelism();
        Block.Spec spec = new Block.Spec(census.cols(), regression, weighted,
                weighted ? census.rows() / census.weightSum() : 1.0, d.validationFraction(), float32);
        JavaRDD<Block> blocks = Blocks.build(columns, spec, Blocks.count(census.bytes(), partitions, d.maxBlockBytes()),
                recipe.seed(), StorageLevel.fromString(d.storageLevel()));
        try {
            Summary summary = Summary.of(blocks.map(Summary.Part::of).collect());
            if (summary.trainRows() == 0) {
                throw new IllegalArgumentException("no rows to train on in column " + featuresCol
                        + ": every row was held out");
            }
            Plan plan = new Plan(recipe, summary.cols(), outputs, d.averagingSteps());
            Memory.check(sc, summary, plan, d.maxBlockBytes());
            Network network = recipe.network(summary.cols(), outputs);
            Mode mode = d.trainingMode().equals("exact") ? new ExactMode(sc, blocks, plan, d.depth())
                    : new AveragedMode(sc, blocks, plan, d.depth());
            DistributedEpochs epochs = new DistributedEpochs(sc, blocks, summary, plan, mode, d.depth(),
                    barrier(sc, d.synchronization(), summary.partitions().size()));
            Trainer trainer = recipe.trainer();
            listeners.forEach(trainer::listener);
            Checkpoint saved = dir == null ? null : dir.read(settingsText, summary.fingerprint());
            if (saved != null) {
                checkFits(saved, network, recipe, epochs, trainer);
            }
            if (dir != null) {
                trainer.checkpoints(new DriverCheckpoints(dir, saved != null ? saved.run() : UUID.randomUUID().toString(),
                        settingsText, summary.fingerprint()));
            }
            History history = trainer.fit(network, epochs, saved == null ? null : saved.state());
            return new Result(network, history, summary, recipe);
        } finally {
            blocks.unpersist(false);
        }
    }

    /** Whether epochs run as barrier stages: asked for and possible, or left to auto and possible. */
    static boolean barrier(JavaSparkContext sc, String synchronization, int blocks) {
        String whyNot = Barrier.whyNot(sc, blocks);
        if (synchronization.equals("barrier") && whyNot != null) {
            throw new IllegalArgumentException("synchronization barrier: " + whyNot);
        }
        return !synchronization.equals("jobs") && whyNot == null;
    }

    /** A saved checkpoint must be of this network, epochs, rows and optimizer. */
    private static void checkFits(Checkpoint saved, Network network, Recipe recipe, DistributedEpochs epochs,
                                  Trainer trainer) {
        CheckpointFile.checkFits(saved, network.snapshot(), recipe.epochs(),
                (int) epochs.trainRows(), epochs.steps(), trainer.optimizer().state());
    }

    /**
     * Every param of {@code stage} that shapes training, as name=value, for checkpoints: a resumed
     * fit must match them. {@code ignored} are the params that do not (columns, epochs, the directory).
     */
    static List<String> settingsText(Params stage, List<String> ignored) {
        Map<String, String> text = new TreeMap<>();
        for (ParamPair<?> pair : CollectionConverters.asJava(stage.extractParamMap().toSeq())) {
            String name = pair.param().name();
            if (!ignored.contains(name)) {
                text.put(name, pair.value() instanceof int[] a ? Arrays.toString(a) : String.valueOf(pair.value()));
            }
        }
        return text.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
