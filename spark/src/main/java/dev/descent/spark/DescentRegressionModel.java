package dev.descent.spark;

import dev.descent.modelfile.Model;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * A trained Descent regression network as a Spark ML {@link org.apache.spark.ml.Transformer}: adds
 * the {@code prediction} column, the network's linear output in the targets' units (features
 * standardised and the targets' standardisation undone, where the model has them). It holds a
 * library {@link Model} with one target, whatever trained it: {@link DescentRegressor}, or
 * {@code ./descent train --task regression --save}, loaded with {@link #of}.
 *
 * <p>{@code write().save(dir)} writes Spark's metadata beside {@code dir/descent-model.json},
 * the library's own model file ({@code docs/model-format.md}, {@code output: "linear"}), which
 * {@code ./descent evaluate} and {@code ModelFile.read} load as they load any other.
 */
public final class DescentRegressionModel extends RegressionModel<Vector, DescentRegressionModel>
        implements MLWritable {
    /** The library model file inside a saved model's directory. */
    public static final String MODEL_FILE = ModelFiles.NAME;

    private String uid;
    private final Portable portable;
    private transient ThreadLocal<Network> networks; // a network's layers keep their outputs: one per thread
    private transient History history;

    DescentRegressionModel(String uid, Portable portable) {
        this(Uids.pass(uid), portable, true);
    }

    private DescentRegressionModel(String ignored, Portable portable, boolean marker) {
        uid(); // takes the uid passed for this stage, if the superclass has not already
        if (!portable.regression() || portable.classNames().size() != 1) {
            throw new IllegalArgumentException(portable.regression()
                    ? "a regression model of " + portable.classNames().size() + " targets: a Spark regressor predicts one"
                    : "a classifier (softmax output) predicts classes, not values: use DescentClassificationModel.of");
        }
        this.portable = portable;
    }

    /** A Spark transformer that predicts with a library regression model of one target. */
    public static DescentRegressionModel of(Model model) {
        return new DescentRegressionModel(null, Portable.of(model));
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take("DescentRegressionModel");
        }
        return uid;
    }

    /** The library model: network, target name, standardisations and provenance. A new copy each call. */
    public Model model() {
        return portable.model();
    }

    /** The history of the fit that made this model, or null for a loaded one. */
    public History history() {
        return history;
    }

    DescentRegressionModel history(History history) {
        this.history = history;
        return this;
    }

    @Override
    public int numFeatures() {
        return portable.inputs();
    }

    /** The predicted target of one row: standardised first, and the target's standardisation undone, if the model has them. */
    @Override
    public double predict(Vector features) {
        if (features.size() != portable.inputs()) {
            throw new IllegalArgumentException("a row of " + features.size() + " features given to a model that takes "
                    + portable.inputs());
        }
        Matrix x = new Matrix(1, portable.inputs(), features.toArray().clone());
        if (portable.mean() != null) {
            for (int j = 0; j < portable.inputs(); j++) {
                x.data()[j] = (x.data()[j] - portable.mean()[j]) / portable.std()[j];
            }
        }
        double y = network().forward(x).data()[0];
        return portable.targetMean() == null ? y : y * portable.targetStd()[0] + portable.targetMean()[0];
    }

    private synchronized Network network() {
        if (networks == null) {
            networks = ThreadLocal.withInitial(portable::network);
        }
        return networks.get();
    }

    @Override
    public DescentRegressionModel copy(ParamMap extra) {
        DescentRegressionModel copy = new DescentRegressionModel(uid(), portable).history(history);
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<DescentRegressionModel> read() {
        return new Reader();
    }

    public static DescentRegressionModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "DescentRegressionModel: uid=" + uid() + ", " + model().network().describe();
    }

    /** Spark's metadata (the params), and the library's model file beside it. */
    private static final class Writer extends MLWriter {
        private final DescentRegressionModel instance;

        Writer(DescentRegressionModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sc(), Option.empty(), Option.empty());
            ModelFiles.write(instance.model(), path, sc().hadoopConfiguration());
        }
    }

    /** Reads the params from Spark's metadata and the model through the library's strict reader. */
    private static final class Reader extends MLReader<DescentRegressionModel> {
        @Override
        public DescentRegressionModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sc(),
                    DescentRegressionModel.class.getName());
            DescentRegressionModel m = new DescentRegressionModel(metadata.uid(),
                    Portable.of(ModelFiles.read(path, sc().hadoopConfiguration())));
            metadata.getAndSetParams(m, Option.empty());
            return m;
        }
    }
}
