package dev.descent.spark;

import dev.descent.modelfile.Model;
import dev.descent.recipe.Recipe;
import dev.descent.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * Descent's feed-forward classifier as a Spark ML {@link org.apache.spark.ml.Estimator}: a
 * {@code features} vector column and a {@code label} column of class indices 0, 1, ... in,
 * a {@link DescentClassificationModel} out. Fits in a {@code Pipeline} after
 * {@code VectorAssembler}, {@code StandardScaler} and {@code StringIndexer} (whose class names
 * the model keeps).
 *
 * <p>What trains is the library's {@code Recipe}, the one {@code descent train --data} runs
 * ({@link DescentParams#recipe}): dense layers of {@code layers} widths with {@code activation}
 * between them, softmax cross-entropy averaged over each batch, initialised by {@code init} from
 * {@code seed}, trained by {@code optimizer} at {@code learningRate} in batches of
 * {@code batchSize} for {@code epochs}, in {@code dtype}, every default the command line's.
 * {@code trainingMode} says how the blocks of the data share the work: {@code exact} (each step's
 * gradient summed over the blocks: the library's step, to rounding) or {@code averaged} (local
 * SGD: each block's share of every step, then θ and the optimizer's state averaged every
 * {@code averagingSteps} steps); {@code synchronization} whether an epoch is one barrier stage or
 * a job per synchronisation. {@code numPartitions} and {@code maxBlockMB} say how many blocks, and
 * {@code storageLevel} how they are cached. {@code weightCol} weights each row's loss and the
 * metrics, as MLlib's classifiers do. {@code validationFraction} holds rows out, and
 * {@code patience} stops when their loss has not improved for that many epochs, keeping the best
 * epoch's θ. {@code checkpointDir}, a directory on any Hadoop file system, gets a checkpoint after
 * every epoch, and a fit whose directory holds one continues from it.
 */
public final class DescentClassifier extends ProbabilisticClassifier<Vector, DescentClassifier, DescentClassificationModel>
        implements DescentParams<DescentClassifier>, DefaultParamsWritable {
    private String uid;
    private transient List<TrainingListener> listeners = new ArrayList<>();
    private final Set params;

    public DescentClassifier() {
        this(null);
    }

    public DescentClassifier(String uid) {
        this(Uids.pass(uid), true);
    }

    private DescentClassifier(String ignored, boolean marker) {
        uid(); // takes the uid passed for this stage, if the superclass has not already
        params = new Set(this);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take("DescentClassifier");
        }
        return uid;
    }

    @Override
    public Set descentParams() {
        return params;
    }

    /**
     * Watches every fit of this estimator on the driver, as it watches the library's trainer: an
     * onStart, an onBatch per synchronisation, an onEpoch per epoch, an onEnd. Not a param: not
     * saved with the estimator, nor kept by {@code copy}.
     */
    public DescentClassifier addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    @Override
    public DescentClassificationModel train(Dataset<?> dataset) {
        Labels labels = Labels.of(dataset, $(labelCol()));
        Fit.Distribution d = Fit.Distribution.of(this);
        Fit.Result fit = Fit.run(dataset, $(featuresCol()), $(labelCol()), getWeightCol(), labels.names().size(),
                recipe(Recipe.Task.CLASSIFICATION), d, Fit.settingsText(this, List.of("epochs", "checkpointDir",
                        "featuresCol", "labelCol", "predictionCol", "probabilityCol", "rawPredictionCol", "thresholds")),
                listeners);
        Model model = new Model(fit.network(), labels.names(), fit.provenance(d));
        return new DescentClassificationModel(uid() + "-model", Portable.of(model)).history(fit.history());
    }

    @Override
    public DescentClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<DescentClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static DescentClassifier load(String path) {
        return read().load(path);
    }

    private Object readResolve() {
        listeners = new ArrayList<>();
        return this;
    }
}
