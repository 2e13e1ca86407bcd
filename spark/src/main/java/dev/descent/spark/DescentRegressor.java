package dev.descent.spark;

import dev.descent.init.Initializer;
import dev.descent.layers.Activation;
import dev.descent.loss.Huber;
import dev.descent.modelfile.Model;
import dev.descent.optim.Optimizers;
import dev.descent.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators$;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * Descent's feed-forward network as a Spark ML regressor: a {@code features} vector column and a
 * numeric {@code label} column (one real-valued target) in, a {@link DescentRegressionModel} out,
 * whose {@code prediction} is the network's linear output. Fits in a {@code Pipeline} after
 * {@code VectorAssembler} and {@code StandardScaler}.
 *
 * <p>Trained as {@link DescentClassifier} trains, by the same distributed machinery (the same
 * params mean the same: {@code layers}, {@code activation}, {@code init}, {@code optimizer},
 * {@code learningRate}, {@code batchSize}, {@code epochs}, {@code seed}, {@code trainingMode}
 * exact or averaged, {@code validationFraction} and {@code patience}, {@code checkpointDir}),
 * with the library's regression loss in place of cross-entropy: {@code loss} mse (mean squared
 * error) or huber (with {@code huberDelta}), averaged over each batch, on one linear output. The
 * targets are trained on as they are: scale them first if they are large.
 */
public final class DescentRegressor extends Regressor<Vector, DescentRegressor, DescentRegressionModel>
        implements DefaultParamsWritable {
    private String uid;
    private transient List<TrainingListener> listeners = new ArrayList<>();

    private final IntArrayParam layers;
    private final Param<String> activation;
    private final Param<String> init;
    private final Param<String> optimizer;
    private final DoubleParam learningRate;
    private final IntParam batchSize;
    private final IntParam epochs;
    private final LongParam seed;
    private final DoubleParam validationFraction;
    private final IntParam patience;
    private final Param<String> trainingMode;
    private final IntParam averagingSteps;
    private final Param<String> dtype;
    private final Param<String> checkpointDir;
    private final IntParam aggregationDepth;
    private final Param<String> loss;
    private final DoubleParam huberDelta;

    public DescentRegressor() {
        this(null);
    }

    public DescentRegressor(String uid) {
        this(Uids.pass(uid), true);
    }

    private DescentRegressor(String ignored, boolean marker) {
        uid(); // takes the uid passed for this stage, if the superclass has not already
        var v = ParamValidators$.MODULE$;
        layers = new IntArrayParam(this, "layers", "hidden layer widths, input to output (each at least 1)");
        activation = new Param<>(this, "activation", "between dense layers: relu, sigmoid or tanh",
                v.inArray(Activation.NAMES.toArray()));
        init = new Param<>(this, "init", "initialisation: " + String.join(", ", Initializer.NAMES),
                v.inArray(Initializer.NAMES.toArray()));
        optimizer = new Param<>(this, "optimizer", "sgd, momentum (0.9) or adam (0.9, 0.999)",
                v.inArray(Optimizers.NAMES.toArray()));
        learningRate = new DoubleParam(this, "learningRate", "the optimizer's learning rate (> 0)", v.gt(0));
        batchSize = new IntParam(this, "batchSize", "rows per step (exact: of the whole data; averaged: of each "
                + "partition)", v.gtEq(1));
        epochs = new IntParam(this, "epochs", "passes over the data (>= 1)", v.gtEq(1));
        seed = new LongParam(this, "seed", "seed of initialisation, row orders and the validation rows");
        validationFraction = new DoubleParam(this, "validationFraction", "fraction of each partition's rows held "
                + "out and evaluated every epoch, in [0, 1)", v.inRange(0, 1, true, false));
        patience = new IntParam(this, "patience", "stop when the held-out loss has not improved for this many "
                + "epochs, keeping the best θ; 0 for never", v.gtEq(0));
        trainingMode = new Param<>(this, "trainingMode", "exact: each step's gradient summed over the partitions; "
                + "averaged: local steps, then θ averaged", v.inArray(new String[] {"exact", "averaged"}));
        averagingSteps = new IntParam(this, "averagingSteps", "averaged: local steps between two averagings; 0 for "
                + "once per epoch", v.gtEq(0));
        dtype = new Param<>(this, "dtype", "number type of backpropagation: float64 or float32",
                v.inArray(new String[] {"float64", "float32"}));
        checkpointDir = new Param<>(this, "checkpointDir", "a directory on the driver for a checkpoint after every "
                + "epoch, continued from when it holds one; empty for none");
        aggregationDepth = new IntParam(this, "aggregationDepth", "depth of treeAggregate (>= 2)", v.gtEq(2));
        loss = new Param<>(this, "loss", "mse (mean squared error) or huber", v.inArray(new String[] {"mse", "huber"}));
        huberDelta = new DoubleParam(this, "huberDelta", "huber: the residual where the penalty turns from "
                + "quadratic to linear (> 0)", v.gt(0));
        setDefault(loss, "mse");
        setDefault(huberDelta, (Object) Huber.DEFAULT_DELTA);
        setDefault(layers, new int[] {128});
        setDefault(activation, "relu");
        setDefault(init, "he");
        setDefault(optimizer, "sgd");
        setDefault(learningRate, (Object) 0.1);
        setDefault(batchSize, (Object) 128);
        setDefault(epochs, (Object) 10);
        setDefault(seed, (Object) 1L);
        setDefault(validationFraction, (Object) 0.0);
        setDefault(patience, (Object) 0);
        setDefault(trainingMode, "exact");
        setDefault(averagingSteps, (Object) 0);
        setDefault(dtype, "float64");
        setDefault(checkpointDir, "");
        setDefault(aggregationDepth, (Object) 2);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take("DescentRegressor");
        }
        return uid;
    }

    public IntArrayParam layers() { return layers; }
    public Param<String> activation() { return activation; }
    public Param<String> init() { return init; }
    public Param<String> optimizer() { return optimizer; }
    public DoubleParam learningRate() { return learningRate; }
    public IntParam batchSize() { return batchSize; }
    public IntParam epochs() { return epochs; }
    public LongParam seed() { return seed; }
    public DoubleParam validationFraction() { return validationFraction; }
    public IntParam patience() { return patience; }
    public Param<String> trainingMode() { return trainingMode; }
    public IntParam averagingSteps() { return averagingSteps; }
    public Param<String> dtype() { return dtype; }
    public Param<String> checkpointDir() { return checkpointDir; }
    public IntParam aggregationDepth() { return aggregationDepth; }
    public Param<String> loss() { return loss; }
    public DoubleParam huberDelta() { return huberDelta; }

    public int[] getLayers() { return $(layers); }
    public String getActivation() { return $(activation); }
    public String getInit() { return $(init); }
    public String getOptimizer() { return $(optimizer); }
    public double getLearningRate() { return (Double) $(learningRate); }
    public int getBatchSize() { return (Integer) $(batchSize); }
    public int getEpochs() { return (Integer) $(epochs); }
    public long getSeed() { return (Long) $(seed); }
    public double getValidationFraction() { return (Double) $(validationFraction); }
    public int getPatience() { return (Integer) $(patience); }
    public String getTrainingMode() { return $(trainingMode); }
    public int getAveragingSteps() { return (Integer) $(averagingSteps); }
    public String getDtype() { return $(dtype); }
    public String getCheckpointDir() { return $(checkpointDir); }
    public int getAggregationDepth() { return (Integer) $(aggregationDepth); }
    public String getLoss() { return $(loss); }
    public double getHuberDelta() { return (Double) $(huberDelta); }

    public DescentRegressor setLayers(int... v) { set(layers, v); return this; }
    public DescentRegressor setActivation(String v) { set(activation, v); return this; }
    public DescentRegressor setInit(String v) { set(init, v); return this; }
    public DescentRegressor setOptimizer(String v) { set(optimizer, v); return this; }
    public DescentRegressor setLearningRate(double v) { set(learningRate, (Object) v); return this; }
    public DescentRegressor setBatchSize(int v) { set(batchSize, (Object) v); return this; }
    public DescentRegressor setEpochs(int v) { set(epochs, (Object) v); return this; }
    public DescentRegressor setSeed(long v) { set(seed, (Object) v); return this; }
    public DescentRegressor setValidationFraction(double v) { set(validationFraction, (Object) v); return this; }
    public DescentRegressor setPatience(int v) { set(patience, (Object) v); return this; }
    public DescentRegressor setTrainingMode(String v) { set(trainingMode, v); return this; }
    public DescentRegressor setAveragingSteps(int v) { set(averagingSteps, (Object) v); return this; }
    public DescentRegressor setDtype(String v) { set(dtype, v); return this; }
    public DescentRegressor setCheckpointDir(String v) { set(checkpointDir, v); return this; }
    public DescentRegressor setAggregationDepth(int v) { set(aggregationDepth, (Object) v); return this; }
    public DescentRegressor setLoss(String v) { set(loss, v); return this; }
    public DescentRegressor setHuberDelta(double v) { set(huberDelta, (Object) v); return this; }

    /**
     * Watches every fit of this estimator on the driver, as it watches the library's trainer: an
     * onStart, an onBatch per synchronisation, an onEpoch per epoch, an onEnd. Not a param: not
     * saved with the estimator, nor kept by {@code copy}.
     */
    public DescentRegressor addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    @Override
    public DescentRegressionModel train(Dataset<?> dataset) {
        Fit.Options o = new Fit.Options(getLayers(), getActivation(), getInit(), getOptimizer(), getLearningRate(),
                getBatchSize(), getEpochs(), getSeed(), getValidationFraction(), getPatience(), getTrainingMode(),
                getAveragingSteps(), getDtype(), getCheckpointDir(), getAggregationDepth(), getLoss(), getHuberDelta());
        Fit.Result fit = Fit.run(dataset, $(featuresCol()), $(labelCol()), Block.REGRESSION, o,
                Fit.settingsText(this, List.of("epochs", "checkpointDir", "featuresCol", "labelCol", "predictionCol")),
                listeners);
        String lossText = getLoss().equals("mse") ? "mean squared error, mean over the batch"
                : "huber (delta " + getHuberDelta() + "), mean over the batch";
        Model model = new Model(fit.network(), List.of($(labelCol())), null, Fit.provenance(fit, o, lossText),
                Model.LINEAR, null);
        return new DescentRegressionModel(uid() + "-model", Portable.of(model)).history(fit.history());
    }

    @Override
    public DescentRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<DescentRegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static DescentRegressor load(String path) {
        return read().load(path);
    }

    private Object readResolve() {
        listeners = new ArrayList<>();
        return this;
    }
}
