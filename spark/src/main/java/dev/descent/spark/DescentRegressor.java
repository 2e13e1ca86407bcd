package dev.descent.spark;

import dev.descent.loss.Huber;
import dev.descent.modelfile.Model;
import dev.descent.recipe.Defaults;
import dev.descent.recipe.Recipe;
import dev.descent.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
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
 * <p>Trained as {@link DescentClassifier} trains, by the same distributed machinery and the same
 * params ({@link DescentParams}), with the library's regression loss in place of cross-entropy:
 * {@code loss} mse (mean squared error) or huber (with {@code huberDelta}), averaged over each
 * batch, on one linear output. The targets are trained on as they are: scale them first if they
 * are large.
 */
public final class DescentRegressor extends Regressor<Vector, DescentRegressor, DescentRegressionModel>
        implements DescentParams<DescentRegressor>, DefaultParamsWritable {
    private String uid;
    private transient List<TrainingListener> listeners = new ArrayList<>();
    private final Set params;
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
        params = new Set(this);
        var v = ParamValidators$.MODULE$;
        loss = new Param<>(this, "loss", "mse (mean squared error) or huber",
                v.inArray(Recipe.REGRESSION_LOSSES.toArray()));
        huberDelta = new DoubleParam(this, "huberDelta", "huber: the residual where the penalty turns from "
                + "quadratic to linear (> 0)", v.gt(0));
        setDefault(loss, Defaults.REGRESSION_LOSS);
        setDefault(huberDelta, (Object) Huber.DEFAULT_DELTA);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take("DescentRegressor");
        }
        return uid;
    }

    @Override
    public Set descentParams() {
        return params;
    }

    public Param<String> loss() { return loss; }
    public DoubleParam huberDelta() { return huberDelta; }
    public String getLoss() { return $(loss); }
    public double getHuberDelta() { return (Double) $(huberDelta); }
    public DescentRegressor setLoss(String v) { set(loss, v); return this; }
    public DescentRegressor setHuberDelta(double v) { set(huberDelta, (Object) v); return this; }

    /** As {@link DescentClassifier#addListener}. */
    public DescentRegressor addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    @Override
    public DescentRegressionModel train(Dataset<?> dataset) {
        Fit.Distribution d = Fit.Distribution.of(this);
        Recipe recipe = recipe(Recipe.Task.REGRESSION).withRegressionLoss(getLoss()).withHuberDelta(getHuberDelta());
        Fit.Result fit = Fit.run(dataset, $(featuresCol()), $(labelCol()), getWeightCol(), Block.REGRESSION, recipe, d,
                Fit.settingsText(this, List.of("epochs", "checkpointDir", "storageLevel", "synchronization", "featuresCol", "labelCol", "predictionCol")),
                listeners);
        Model model = new Model(fit.network(), List.of($(labelCol())), null, fit.provenance(d), Model.LINEAR, null);
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
