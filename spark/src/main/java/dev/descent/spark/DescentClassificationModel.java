package dev.descent.spark;

import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.modelfile.Model;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * A trained Descent network as a Spark ML {@link org.apache.spark.ml.Transformer}: adds the
 * {@code rawPrediction} (logits), {@code probability} (softmax) and {@code prediction} (the
 * class index) columns. It holds a library {@link Model}, whatever trained it:
 * {@link DescentClassifier}, or {@code ./descent train --save}, loaded with {@link #of}.
 *
 * <p>{@code write().save(dir)} writes Spark's metadata beside {@code dir/descent-model.json},
 * the library's own model file ({@code docs/model-format.md}), which {@code ./descent evaluate
 * --model dir/descent-model.json} and {@code ModelFile.read} load as they load any other.
 */
public final class DescentClassificationModel
        extends ProbabilisticClassificationModel<Vector, DescentClassificationModel> implements MLWritable {
    /** The library model file inside a saved model's directory. */
    public static final String MODEL_FILE = ModelFiles.NAME;

    private String uid;
    private final Portable portable;
    private transient ThreadLocal<Network> networks; // a network's layers keep their outputs: one per thread
    private transient History history;

    DescentClassificationModel(String uid, Portable portable) {
        this(Uids.pass(uid), portable, true);
    }

    private DescentClassificationModel(String ignored, Portable portable, boolean marker) {
        uid(); // takes the uid passed for this stage, if the superclass has not already
        this.portable = portable;
    }

    /** A Spark transformer that predicts with a library model (one read by {@code ModelFile.read}, say). */
    public static DescentClassificationModel of(Model model) {
        if (model.isRegression()) {
            throw new IllegalArgumentException("a regression model (linear output) predicts values, not classes: "
                    + "use DescentRegressionModel.of");
        }
        return new DescentClassificationModel(null, Portable.of(model));
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take("DescentClassificationModel");
        }
        return uid;
    }

    /** The library model: network, class names, standardisation and provenance. A new copy each call. */
    public Model model() {
        return portable.model();
    }

    /** The class names, in index order: {@code prediction} i is class {@code classNames().get(i)}. */
    public List<String> classNames() {
        return portable.classNames();
    }

    /** The history of the fit that made this model, or null for a loaded one. */
    public History history() {
        return history;
    }

    DescentClassificationModel history(History history) {
        this.history = history;
        return this;
    }

    @Override
    public int numClasses() {
        return portable.classNames().size();
    }

    @Override
    public int numFeatures() {
        return portable.inputs();
    }

    /** The logits of one row, standardised first if the model was trained so. */
    @Override
    public Vector predictRaw(Vector features) {
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
        return Vectors.dense(network().forward(x).data().clone());
    }

    /** Softmax of the logits, as {@code Network.predictProbabilities} computes it. Modifies raw. */
    @Override
    public Vector raw2probabilityInPlace(Vector raw) {
        if (!(raw instanceof DenseVector dense)) {
            throw new IllegalArgumentException("raw predictions are dense vectors, got " + raw.getClass().getSimpleName());
        }
        double[] z = dense.values();
        Matrix p = SoftmaxCrossEntropy.softmax(new Matrix(1, z.length, z.clone()));
        System.arraycopy(p.data(), 0, z, 0, z.length);
        return raw;
    }

    private synchronized Network network() {
        if (networks == null) {
            networks = ThreadLocal.withInitial(portable::network);
        }
        return networks.get();
    }

    /**
     * Spark's, restated: Java sees two generic signatures of it (the classification model's and
     * the probabilistic one's) and needs one, raw.
     */
    @Override
    @SuppressWarnings("rawtypes")
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public DescentClassificationModel copy(ParamMap extra) {
        DescentClassificationModel copy = new DescentClassificationModel(uid(), portable).history(history);
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<DescentClassificationModel> read() {
        return new Reader();
    }

    public static DescentClassificationModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "DescentClassificationModel: uid=" + uid() + ", " + model().network().describe();
    }

    /** Spark's metadata (the params), and the library's model file beside it. */
    private static final class Writer extends MLWriter {
        private final DescentClassificationModel instance;

        Writer(DescentClassificationModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sc(), Option.empty(), Option.empty());
            ModelFiles.write(instance.model(), path, sc().hadoopConfiguration());
        }
    }

    /** Reads the params from Spark's metadata and the model through the library's strict reader. */
    private static final class Reader extends MLReader<DescentClassificationModel> {
        @Override
        public DescentClassificationModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sc(),
                    DescentClassificationModel.class.getName());
            Model model = ModelFiles.read(path, sc().hadoopConfiguration());
            if (model.isRegression()) {
                throw new IllegalArgumentException(path + " holds a regression model: load it with DescentRegressionModel");
            }
            DescentClassificationModel m = new DescentClassificationModel(metadata.uid(), Portable.of(model));
            metadata.getAndSetParams(m, Option.empty());
            return m;
        }
    }
}
