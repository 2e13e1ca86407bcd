package dev.descent.spark;

import dev.descent.init.Initializer;
import dev.descent.layers.Activation;
import dev.descent.optim.Optimizers;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Dtype;
import java.io.Serializable;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators$;
import org.apache.spark.ml.param.Params;

/**
 * The params both Descent estimators share, declared once, the way Spark ML's own {@code HasX}
 * traits share params between estimators: each estimator makes its {@link Set} of Param objects
 * (their defaults read from the library's {@link Recipe#forData()}, the preset {@code descent train
 * --data} uses), and these default methods are the public accessors Spark finds by reflection.
 * {@link #recipe} turns the params into the library's recipe, which is what trains. Public only
 * because Spark reads params through public methods.
 *
 * @param <T> the estimator, which the setters return
 */
public interface DescentParams<T extends DescentParams<T>> extends Params {
    /** The storage levels storageLevel takes: Spark's named levels. */
    String[] STORAGE_LEVELS = {"MEMORY_AND_DISK", "MEMORY_AND_DISK_SER", "MEMORY_ONLY", "MEMORY_ONLY_SER", "DISK_ONLY",
        "MEMORY_AND_DISK_2", "MEMORY_AND_DISK_SER_2", "MEMORY_ONLY_2", "MEMORY_ONLY_SER_2", "DISK_ONLY_2",
        "DISK_ONLY_3", "OFF_HEAP"};

    /** This estimator's own Param objects, made once in its constructor. */
    Set descentParams();

    /** The Param objects of one estimator, with their docs, validators and defaults. */
    final class Set implements Serializable {
        final IntArrayParam layers, inputShape;
        final Param<String> layerSpec, activation, init, optimizer, trainingMode, dtype, checkpointDir, weightCol, storageLevel,
                synchronization;
        final DoubleParam learningRate, validationFraction;
        final IntParam batchSize, epochs, patience, averagingSteps, aggregationDepth, numPartitions, maxBlockMB;
        final LongParam seed;

        Set(Params owner) {
            var v = ParamValidators$.MODULE$;
            Recipe d = Recipe.forData();
            layers = new IntArrayParam(owner, "layers", "hidden layer widths, input side first (each at least 1); "
                    + "unlike MLlib's layers, without the input and output widths, which come from the data");
            layerSpec = new Param<>(owner, "layerSpec", "the layers as descent train --layers reads them, such as "
                    + "conv32k3p1,pool2,conv64k3p1,pool2,128 (convolutions and pooling need inputShape); empty to "
                    + "take layers' widths");
            inputShape = new IntArrayParam(owner, "inputShape", "each features vector as an image C,H,W, channels "
                    + "first (as descent train --input-shape); empty for plain features");
            activation = new Param<>(owner, "activation", "between dense layers: relu, sigmoid or tanh",
                    v.inArray(Activation.NAMES.toArray()));
            init = new Param<>(owner, "init", "initialisation: " + String.join(", ", Initializer.NAMES),
                    v.inArray(Initializer.NAMES.toArray()));
            optimizer = new Param<>(owner, "optimizer", "sgd, momentum (0.9) or adam (0.9, 0.999)",
                    v.inArray(Optimizers.NAMES.toArray()));
            learningRate = new DoubleParam(owner, "learningRate", "the optimizer's learning rate (> 0); unset, "
                    + d.learningRate() + ", or " + d.withOptimizer("adam").learningRate() + " with adam, as descent "
                    + "train", v.gt(0));
            batchSize = new IntParam(owner, "batchSize", "rows per step of the whole data (averaged: each block takes "
                    + "its share of every step)", v.gtEq(1));
            epochs = new IntParam(owner, "epochs", "passes over the data (>= 1)", v.gtEq(1));
            seed = new LongParam(owner, "seed", "seed of initialisation, row orders and the validation rows");
            validationFraction = new DoubleParam(owner, "validationFraction", "fraction of the rows held out (each "
                    + "by a hash of its content) and evaluated every epoch, in [0, 1)", v.inRange(0, 1, true, false));
            patience = new IntParam(owner, "patience", "stop when the held-out loss has not improved for this many "
                    + "epochs, keeping the best θ; 0 for never", v.gtEq(0));
            trainingMode = new Param<>(owner, "trainingMode", "exact: each step's gradient summed over the "
                    + "partitions; averaged: local steps, then θ averaged", v.inArray(new String[] {"exact", "averaged"}));
            averagingSteps = new IntParam(owner, "averagingSteps", "averaged: steps between two averagings; 0 "
                    + "for once per epoch", v.gtEq(0));
            dtype = new Param<>(owner, "dtype", "number type of backpropagation: float64 or float32",
                    v.inArray(new String[] {"float64", "float32"}));
            checkpointDir = new Param<>(owner, "checkpointDir", "a directory (a path or a Hadoop URI: hdfs://, "
                    + "s3a://, file://) for a checkpoint after every epoch, continued from when it holds one; empty for none");
            weightCol = new Param<>(owner, "weightCol", "weight column name (each weight finite and at least 0): the "
                    + "loss and the metrics weight each row by it; if this is not set or empty, every weight is 1.0");
            numPartitions = new IntParam(owner, "numPartitions", "blocks the data is trained in (more when one would "
                    + "exceed maxBlockMB); 0 for spark.default.parallelism, the cluster's cores", v.gtEq(0));
            maxBlockMB = new IntParam(owner, "maxBlockMB", "the most memory one block of the data may take, in MB (a "
                    + "task holds one at a time)", v.gtEq(1));
            storageLevel = new Param<>(owner, "storageLevel", "Spark storage level of the cached blocks, such as "
                    + "MEMORY_AND_DISK or MEMORY_ONLY", v.inArray(STORAGE_LEVELS));
            synchronization = new Param<>(owner, "synchronization", "how the partitions meet: barrier (one Spark "
                    + "stage per epoch, its tasks exchanging through Spark's barrier allGather), jobs (one Spark job "
                    + "per synchronisation), or auto (barrier where the cluster can run it)",
                    v.inArray(new String[] {"auto", "barrier", "jobs"}));
            aggregationDepth = new IntParam(owner, "aggregationDepth", "depth of treeAggregate (>= 2)", v.gtEq(2));
            owner.setDefault(layers, d.hidden().stream().mapToInt(Integer::intValue).toArray());
            owner.setDefault(layerSpec, "");
            owner.setDefault(inputShape, new int[0]);
            owner.setDefault(activation, d.activation());
            owner.setDefault(init, d.init().toString());
            owner.setDefault(optimizer, d.optimizer());
            owner.setDefault(learningRate, (Object) d.learningRate());
            owner.setDefault(batchSize, (Object) d.batch());
            owner.setDefault(epochs, (Object) d.epochs());
            owner.setDefault(seed, (Object) d.seed());
            owner.setDefault(validationFraction, (Object) 0.0);
            owner.setDefault(patience, (Object) d.patience());
            owner.setDefault(trainingMode, "exact");
            owner.setDefault(averagingSteps, (Object) 0);
            owner.setDefault(dtype, d.dtype().label());
            owner.setDefault(checkpointDir, "");
            owner.setDefault(aggregationDepth, (Object) 2);
            owner.setDefault(weightCol, "");
            owner.setDefault(numPartitions, (Object) 0);
            owner.setDefault(maxBlockMB, (Object) 64);
            owner.setDefault(storageLevel, "MEMORY_AND_DISK");
            owner.setDefault(synchronization, "auto");
        }
    }

    /**
     * The library recipe these params describe: {@link Recipe#forData()} for {@code task} with
     * each param applied; the learning rate only where set, so that adam takes its own default as
     * it does on the command line.
     */
    default Recipe recipe(Recipe.Task task) {
        Recipe r = Recipe.forData().withTask(task);
        r = getLayerSpec().isEmpty() ? r.withLayers(getLayers()) : r.withLayers(getLayerSpec());
        int[] shape = getInputShape();
        if (shape.length > 0) {
            if (shape.length != 3) {
                throw new IllegalArgumentException("inputShape " + java.util.Arrays.toString(shape) + " is not an image "
                        + "shape [C, H, W]");
            }
            r = r.withInputShape(new dev.descent.layers.Shape(shape[0], shape[1], shape[2]));
        }
        r = r.withActivation(getActivation())
                .withInit(Initializer.parse(getInit())).withOptimizer(getOptimizer()).withBatch(getBatchSize())
                .withEpochs(getEpochs()).withSeed(getSeed()).withPatience(getPatience()).withDtype(Dtype.of(getDtype()));
        return isSet(learningRate()) ? r.withLearningRate(getLearningRate()) : r;
    }

    default IntArrayParam layers() { return descentParams().layers; }
    default Param<String> layerSpec() { return descentParams().layerSpec; }
    default IntArrayParam inputShape() { return descentParams().inputShape; }
    default Param<String> activation() { return descentParams().activation; }
    default Param<String> init() { return descentParams().init; }
    default Param<String> optimizer() { return descentParams().optimizer; }
    default DoubleParam learningRate() { return descentParams().learningRate; }
    default IntParam batchSize() { return descentParams().batchSize; }
    default IntParam epochs() { return descentParams().epochs; }
    default LongParam seed() { return descentParams().seed; }
    default DoubleParam validationFraction() { return descentParams().validationFraction; }
    default IntParam patience() { return descentParams().patience; }
    default Param<String> trainingMode() { return descentParams().trainingMode; }
    default IntParam averagingSteps() { return descentParams().averagingSteps; }
    default Param<String> dtype() { return descentParams().dtype; }
    default Param<String> checkpointDir() { return descentParams().checkpointDir; }
    default IntParam aggregationDepth() { return descentParams().aggregationDepth; }
    default Param<String> weightCol() { return descentParams().weightCol; }
    default IntParam numPartitions() { return descentParams().numPartitions; }
    default IntParam maxBlockMB() { return descentParams().maxBlockMB; }
    default Param<String> storageLevel() { return descentParams().storageLevel; }
    default Param<String> synchronization() { return descentParams().synchronization; }

    default int[] getLayers() { return (int[]) getOrDefault(layers()); }
    default String getLayerSpec() { return getOrDefault(layerSpec()); }
    default int[] getInputShape() { return (int[]) getOrDefault(inputShape()); }
    default String getActivation() { return getOrDefault(activation()); }
    default String getInit() { return getOrDefault(init()); }
    default String getOptimizer() { return getOrDefault(optimizer()); }
    default double getLearningRate() { return (Double) getOrDefault(learningRate()); }
    default int getBatchSize() { return (Integer) getOrDefault(batchSize()); }
    default int getEpochs() { return (Integer) getOrDefault(epochs()); }
    default long getSeed() { return (Long) getOrDefault(seed()); }
    default double getValidationFraction() { return (Double) getOrDefault(validationFraction()); }
    default int getPatience() { return (Integer) getOrDefault(patience()); }
    default String getTrainingMode() { return getOrDefault(trainingMode()); }
    default int getAveragingSteps() { return (Integer) getOrDefault(averagingSteps()); }
    default String getDtype() { return getOrDefault(dtype()); }
    default String getCheckpointDir() { return getOrDefault(checkpointDir()); }
    default int getAggregationDepth() { return (Integer) getOrDefault(aggregationDepth()); }
    default String getWeightCol() { return getOrDefault(weightCol()); }
    default int getNumPartitions() { return (Integer) getOrDefault(numPartitions()); }
    default int getMaxBlockMB() { return (Integer) getOrDefault(maxBlockMB()); }
    default String getStorageLevel() { return getOrDefault(storageLevel()); }
    default String getSynchronization() { return getOrDefault(synchronization()); }

    default T setLayers(int... v) { return with(layers(), v); }
    default T setLayerSpec(String v) { return with(layerSpec(), v); }
    default T setInputShape(int... v) { return with(inputShape(), v); }
    default T setActivation(String v) { return with(activation(), v); }
    default T setInit(String v) { return with(init(), v); }
    default T setOptimizer(String v) { return with(optimizer(), v); }
    default T setLearningRate(double v) { return with(learningRate(), v); }
    default T setBatchSize(int v) { return with(batchSize(), v); }
    default T setEpochs(int v) { return with(epochs(), v); }
    default T setSeed(long v) { return with(seed(), v); }
    default T setValidationFraction(double v) { return with(validationFraction(), v); }
    default T setPatience(int v) { return with(patience(), v); }
    default T setTrainingMode(String v) { return with(trainingMode(), v); }
    default T setAveragingSteps(int v) { return with(averagingSteps(), v); }
    default T setDtype(String v) { return with(dtype(), v); }
    default T setCheckpointDir(String v) { return with(checkpointDir(), v); }
    default T setAggregationDepth(int v) { return with(aggregationDepth(), v); }
    default T setWeightCol(String v) { return with(weightCol(), v); }
    default T setNumPartitions(int v) { return with(numPartitions(), v); }
    default T setMaxBlockMB(int v) { return with(maxBlockMB(), v); }
    default T setStorageLevel(String v) { return with(storageLevel(), v); }
    default T setSynchronization(String v) { return with(synchronization(), v); }

    /** Sets {@code param} to {@code value}, validated, and returns the estimator. */
    @SuppressWarnings("unchecked")
    private <V> T with(Param<V> param, Object value) {
        set(param, (V) value);
        return (T) this;
    }
}
