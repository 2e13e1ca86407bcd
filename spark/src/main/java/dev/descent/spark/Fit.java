package dev.descent.spark;

import dev.descent.init.Initializer;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.train.History;
import dev.descent.train.TrainingListener;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One distributed fit, shared by {@link DescentClassifier} and {@link DescentRegressor}: the rows
 * cached in blocks, the network built and initialised, the mode chosen, the driver's epoch loop
 * run ({@link DistributedTrainer}), the blocks released.
 */
final class Fit {
    private Fit() {}

    /** The estimator's params that shape training, as values. */
    record Options(int[] layers, String activation, String init, String optimizer, double learningRate,
                   int batchSize, int epochs, long seed, double validationFraction, int patience, String trainingMode,
                   int averagingSteps, String dtype, String checkpointDir, int depth, String loss, double huberDelta) {}

    /** The trained network, its history, and what it was trained on and by. */
    record Result(Network network, History history, Summary summary, Recipe recipe, Optimizer optimizer) {}

    /**
     * Trains on {@code featuresCol} against {@code labelCol}: class indices of {@code classes}
     * classes, or real targets for {@link Block#REGRESSION} (one linear output).
     */
    static Result run(Dataset<?> dataset, String featuresCol, String labelCol, int classes, Options o,
                      List<String> settingsText, List<TrainingListener> listeners) {
        if (o.patience() > 0 && o.validationFraction() == 0) {
            throw new IllegalArgumentException("patience needs held-out rows: set validationFraction too");
        }
        for (int width : o.layers()) {
            if (width < 1) {
                throw new IllegalArgumentException("layers " + Arrays.toString(o.layers()) + ": every width must be at least 1");
            }
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Dataset<Row> columns = dataset.select(dataset.col(featuresCol), dataset.col(labelCol).cast("double"));
        JavaRDD<Block> blocks = Block.cache(columns, classes, o.validationFraction(), o.seed());
        try {
            Summary summary = Summary.of(blocks.map(Summary.Part::of).collect());
            if (summary.trainRows() == 0) {
                throw new IllegalArgumentException("no rows to train on in column " + featuresCol);
            }
            boolean regression = classes == Block.REGRESSION;
            Recipe recipe = new Recipe(summary.cols(), Arrays.stream(o.layers()).boxed().toList(), o.activation(),
                    regression ? 1 : classes, o.dtype(), o.optimizer(), o.learningRate(), o.batchSize(), o.seed(),
                    o.averagingSteps(), o.loss(), o.huberDelta());
            Network network = recipe.architecture().build();
            Initializer.parse(o.init()).initialize(network, o.seed());
            Optimizer opt = recipe.newOptimizer();
            Mode mode = o.trainingMode().equals("exact") ? new ExactMode(sc, blocks, recipe, o.depth())
                    : new AveragedMode(sc, blocks, recipe, o.depth());
            String dir = o.checkpointDir();
            var settings = new DistributedTrainer.Settings(o.epochs(), o.patience(), dir.isEmpty() ? null : Path.of(dir),
                    settingsText, o.depth());
            History history = new DistributedTrainer(sc, blocks, summary, recipe, mode, settings, listeners)
                    .fit(network, opt);
            return new Result(network, history, summary, recipe, opt);
        } finally {
            blocks.unpersist(false);
        }
    }

    /**
     * Every param of {@code stage} that shapes training, as name=value, for checkpoints: a resumed
     * fit must match them. {@code ignored} are the params that do not (columns, epochs, the directory).
     */
    static List<String> settingsText(Params stage, List<String> ignored) {
        Map<String, String> text = new TreeMap<>();
        for (ParamPair<?> pair : scala.jdk.javaapi.CollectionConverters.asJava(stage.extractParamMap().toSeq())) {
            String name = pair.param().name();
            if (!ignored.contains(name)) {
                text.put(name, pair.value() instanceof int[] a ? Arrays.toString(a) : String.valueOf(pair.value()));
            }
        }
        return text.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** The model file's {@code training} record of a fit; accuracies for a classifier only. */
    static Map<String, Object> provenance(Result fit, Options o, String loss) {
        Summary summary = fit.summary();
        Recipe recipe = fit.recipe();
        History history = fit.history();
        boolean classifier = !recipe.regression();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("data", "Spark DataFrame, " + summary.trainRows() + " training and " + summary.validationRows()
                + " held-out rows in " + summary.partitions().size() + " partitions");
        t.put("dataFingerprint", summary.fingerprint());
        t.put("trainer", "descent-spark " + o.trainingMode() + (recipe.averagingSteps() > 0 && o.trainingMode()
                .equals("averaged") ? ", averaging every " + recipe.averagingSteps() + " steps" : ""));
        t.put("init", o.init());
        t.put("seed", recipe.seed());
        t.put("gradient", "backprop");
        t.put("dtype", recipe.dtype());
        t.put("loss", loss);
        t.put("optimizer", fit.optimizer().describe());
        t.put("batch", recipe.batchSize());
        t.put("epochs", history.last().epoch());
        t.put("finalLoss", history.last().loss());
        if (classifier) {
            t.put("finalAccuracy", history.last().accuracy());
        }
        if (history.last().hasValidation()) {
            History.Row kept = history.rows().get(Math.max(0, history.restoredEpoch() < 0 ? history.rows().size() - 1
                    : history.restoredEpoch()));
            t.put("validationLoss", kept.validationLoss());
            if (classifier) {
                t.put("validationAccuracy", kept.validationAccuracy());
            }
        }
        return t;
    }
}
