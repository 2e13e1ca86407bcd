package dev.descent.recipe;

import dev.descent.data.Dataset;
import dev.descent.fused.FusedBackprop;
import dev.descent.fused.FusedSpsa;
import dev.descent.gradient.FastCentralDifference;
import dev.descent.gradient.Spsa;
import dev.descent.init.Initializer;
import dev.descent.layers.Activation;
import dev.descent.layers.Dropout;
import dev.descent.layers.Layer;
import dev.descent.loss.ClassWeights;
import dev.descent.layers.Shape;
import dev.descent.loss.Huber;
import dev.descent.loss.Loss;
import dev.descent.loss.MeanSquaredError;
import dev.descent.loss.Objective;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.LayerSpec;
import dev.descent.network.Network;
import dev.descent.optim.Adam;
import dev.descent.optim.LearningRateSchedule;
import dev.descent.optim.Momentum;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.train.ReduceLROnPlateau;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingStep;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a training run is, defined once: the network (hidden layers, activation, dropout, and for
 * images their shape), where
 * its parameters start (an initialisation and its seed, or parameters given), the task and its
 * loss (cross-entropy, or mean squared error or Huber for regression, and how per-sample losses
 * are reduced), the training step (backpropagation on the fused schedule in float64 or float32,
 * central differences, zeroth-order SPSA along random directions, or a step of one's own), the optimizer and its constants, the learning-rate
 * schedule and warm-up, the batch, the epochs, early stopping's patience, and the shuffle seed.
 * It holds no data: the command line, the doctor, Spark and a Java program each say where the data
 * comes from, and all of them train what the recipe says, the way Tribuo's trainers and Spark
 * MLlib's estimators hold their configuration.
 *
 * <p>Immutable: every {@code with…} returns a new recipe. Two presets hold every default
 * ({@link Defaults}): {@link #seedExample()} and {@link #forData()}. A run in Java:
 * <pre>{@code
 *   Recipe recipe = Recipe.forData().withLayers(64).withOptimizer("adam").withEpochs(20);
 *   Network network = recipe.network(data);           // built, initialised from the seed
 *   History history = recipe.trainer(data).fit(network, data);
 * }</pre>
 * which trains exactly what {@code descent train --data FILE --layers 64 --optimizer adam
 * --epochs 20} trains. {@link #provenance()} is assembled from the parts, each writing its own
 * entries (the step's {@code GradientSource.provenance}, the optimizer's settings, the schedule,
 * the loss).
 *
 * <p>A setting that does not apply is kept and ignored (the Huber delta of a classifier, Adam's
 * betas for sgd, the dtype of central differences, which run in float64); the command line
 * refuses such flags before it builds a recipe.
 */
public final class Recipe implements Cloneable, Serializable {
    private static final long serialVersionUID = 1L;

    /** What the network is trained to do. */
    public enum Task {
        /** Class labels, a softmax output and cross-entropy. */
        CLASSIFICATION,
        /** Real-valued targets, a linear output and a regression loss (mse or huber). */
        REGRESSION;

        /** classification or regression, case-insensitive. */
        public static Task of(String name) {
            for (Task t : values()) {
                if (t.toString().equalsIgnoreCase(name.trim())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown task '" + name + "': expected classification or regression");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The ways a step can compute its gradients. */
    public static final List<String> GRADIENTS = List.of("backprop", "numerical", "spsa");
    /** The regression losses. */
    public static final List<String> REGRESSION_LOSSES = List.of("mse", "huber");

    // the network and its start
    private List<LayerSpec> layers;
    private Shape inputShape; // null: not images, or the network has no image layers to need it
    private String activation;
    private double dropout;
    private Initializer init; // null: the parameters are given, as givenParameters says
    private String givenParameters;
    private long seed;
    // the task and its loss
    private Task task;
    private Reduction reduction;
    private String regressionLoss;
    private double huberDelta;
    private ClassWeights classWeights;
    // the step
    private String gradient;
    private double h; // NaN: the gradient's own default (Defaults.H, or Defaults.SPSA_H for spsa)
    private int directions;
    private Objective objective;
    private Dtype dtype;
    private TrainingStep ownStep;
    // the optimizer and its schedule
    private String optimizer;
    private double learningRate; // NaN: the preset's rate, or Adam's default with adam
    private double presetRate;
    private double momentum, beta1, beta2, epsilon, weightDecay;
    private String schedule;
    private int warmup;
    private int stepSize; // 0: a third of the epochs after warm-up
    private double gamma;
    private int plateauPatience;
    private double plateauThreshold, minRate;
    // the loop
    private int batch, epochs, patience;

    private Recipe() {}

    private static Recipe preset(String layers, String init, String reduction, String dtype, double rate, int epochs,
            String batch) {
        Recipe r = new Recipe();
        r.layers = LayerSpec.dense(List.of(Integer.parseInt(layers)));
        r.activation = Defaults.ACTIVATION;
        r.init = Initializer.parse(init);
        r.seed = Defaults.SEED;
        r.task = Task.of(Defaults.TASK);
        r.reduction = Reduction.parse(reduction);
        r.regressionLoss = Defaults.REGRESSION_LOSS;
        r.huberDelta = Huber.DEFAULT_DELTA;
        r.classWeights = ClassWeights.parse(Defaults.CLASS_WEIGHT);
        r.gradient = Defaults.GRADIENT;
        r.h = Double.NaN;
        r.directions = Defaults.DIRECTIONS;
        r.objective = Objective.of(Defaults.OBJECTIVE);
        r.dtype = Dtype.of(dtype);
        r.optimizer = Defaults.OPTIMIZER;
        r.learningRate = Double.NaN;
        r.presetRate = rate;
        r.momentum = Momentum.DEFAULT_BETA;
        r.beta1 = Adam.DEFAULT_BETA1;
        r.beta2 = Adam.DEFAULT_BETA2;
        r.epsilon = Adam.DEFAULT_EPSILON;
        r.schedule = Defaults.SCHEDULE;
        r.gamma = LearningRateSchedule.DEFAULT_GAMMA;
        r.plateauPatience = ReduceLROnPlateau.DEFAULT_PATIENCE;
        r.plateauThreshold = ReduceLROnPlateau.DEFAULT_THRESHOLD;
        r.minRate = ReduceLROnPlateau.DEFAULT_MIN_RATE;
        r.batch = batch.equals("full") ? Trainer.FULL_BATCH : Integer.parseInt(batch);
        r.epochs = epochs;
        return r;
    }

    /**
     * The built-in seed example's run, faithful to the thread it comes from: 20 ReLU units, weights
     * uniform in [0,1), the loss summed over the samples, full-batch gradient descent for 100
     * epochs at lr 0.05, in float64.
     */
    public static Recipe seedExample() {
        return preset(Defaults.SEED_LAYERS, Defaults.SEED_INIT, Defaults.SEED_REDUCTION, Defaults.SEED_DTYPE,
                Defaults.SEED_LR, Defaults.SEED_EPOCHS, Defaults.SEED_BATCH);
    }

    /**
     * A run on real data: 128 ReLU units, He initialisation, the mean loss, SGD at lr 0.1 in
     * mini-batches of 128 for 10 epochs, backprop in float32 (the fmnist-mlp recipe).
     */
    public static Recipe forData() {
        return preset(Defaults.DATA_LAYERS, Defaults.DATA_INIT, Defaults.DATA_REDUCTION, Defaults.DATA_DTYPE,
                Defaults.DATA_LR, Defaults.DATA_EPOCHS, Defaults.DATA_BATCH);
    }

    private Recipe copy() {
        try {
            return (Recipe) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    // ---- the network ---------------------------------------------------------------------------

    /** Hidden layer widths, input side first; each at least 1 (none: a linear model). */
    public Recipe withLayers(List<Integer> widths) {
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("every hidden layer needs at least one unit, got " + widths);
            }
        }
        Recipe r = copy();
        r.layers = LayerSpec.dense(widths);
        return r;
    }

    /**
     * The hidden layers as written on the command line ({@link LayerSpec}): {@code 128,64}, or
     * for images {@code conv32k3p1,pool2,conv64k3p1,pool2,128}; convolutions and pooling need
     * {@link #withInputShape the images' shape}.
     *
     * @throws IllegalArgumentException naming the item that is wrong
     */
    public Recipe withLayers(String spec) {
        try {
            return withLayerSpecs(LayerSpec.parse(spec));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + spec + "' " + e.getMessage(), e);
        }
    }

    /** The hidden layers, input side first, each followed by the activation where it has weights. */
    public Recipe withLayerSpecs(List<LayerSpec> specs) {
        Recipe r = copy();
        r.layers = List.copyOf(LayerSpec.parse(LayerSpec.format(specs))); // checks the order of the items
        return r;
    }

    /**
     * Each row of the data is an image of this shape, C×H×W, channels first: what the
     * convolutions and pooling of the layers take. Ignored by a network of dense layers alone.
     */
    public Recipe withInputShape(Shape shape) {
        Recipe r = copy();
        r.inputShape = Objects.requireNonNull(shape, "shape");
        return r;
    }

    public Recipe withLayers(int... widths) {
        List<Integer> list = new ArrayList<>();
        for (int w : widths) {
            list.add(w);
        }
        return withLayers(list);
    }

    /** The activation after each hidden layer: relu, sigmoid or tanh. */
    public Recipe withActivation(String name) {
        String a = name.trim().toLowerCase(Locale.ROOT);
        if (!Activation.NAMES.contains(a)) {
            throw new IllegalArgumentException("unknown activation '" + name + "': expected one of "
                    + String.join(", ", Activation.NAMES));
        }
        Recipe r = copy();
        r.activation = a;
        return r;
    }

    /** Inverted dropout after each hidden activation with probability p in [0, 1); 0 for none. */
    public Recipe withDropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("the dropout probability must be in [0, 1), got " + p);
        }
        Recipe r = copy();
        r.dropout = p;
        return r;
    }

    /** The parameters start from {@code init}, drawn with the recipe's seed. */
    public Recipe withInit(Initializer init) {
        Recipe r = copy();
        r.init = Objects.requireNonNull(init, "init");
        r.givenParameters = null;
        return r;
    }

    /**
     * The parameters are given, not drawn: the network passed to the trainer already holds them
     * (a model file's, say). {@code source} says where they come from, for headers and provenance.
     */
    public Recipe withGivenParameters(String source) {
        Recipe r = copy();
        r.init = null;
        r.givenParameters = source;
        return r;
    }

    /** The seed of the initialisation, the shuffle (from seed + 1) and dropout's masks. */
    public Recipe withSeed(long seed) {
        Recipe r = copy();
        r.seed = seed;
        return r;
    }

    // ---- the task and its loss -------------------------------------------------------------------

    public Recipe withTask(Task task) {
        Recipe r = copy();
        r.task = Objects.requireNonNull(task, "task");
        return r;
    }

    /** How per-sample losses combine: sum (the thread's) or mean. */
    public Recipe withReduction(Reduction reduction) {
        Recipe r = copy();
        r.reduction = Objects.requireNonNull(reduction, "reduction");
        return r;
    }

    /** The loss of a regression run: mse or huber. */
    public Recipe withRegressionLoss(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (!REGRESSION_LOSSES.contains(n)) {
            throw new IllegalArgumentException("unknown regression loss '" + name + "': expected mse or huber");
        }
        Recipe r = copy();
        r.regressionLoss = n;
        return r;
    }

    /** Where the Huber loss turns from quadratic to linear; positive and finite. */
    public Recipe withHuberDelta(double delta) {
        Recipe r = copy();
        r.huberDelta = positive("Huber loss's delta", delta);
        return r;
    }

    /**
     * A weight per class in a classifier's cross-entropy: {@link ClassWeights#NONE}, balanced, or
     * given by name; resolved against the training labels by {@link #loss(Dataset)}, or once for
     * the whole run by passing resolved weights here.
     */
    public Recipe withClassWeights(ClassWeights weights) {
        Recipe r = copy();
        r.classWeights = Objects.requireNonNull(weights, "weights");
        return r;
    }

    // ---- the step ----------------------------------------------------------------------------------

    /**
     * backprop (the fused step), numerical (central differences over every parameter) or spsa
     * (central differences along random directions, zeroth-order: {@link Spsa}).
     */
    public Recipe withGradient(String name) {
        String g = name.trim().toLowerCase(Locale.ROOT);
        if (!GRADIENTS.contains(g)) {
            throw new IllegalArgumentException("unknown gradient '" + name + "': expected backprop, numerical or spsa");
        }
        Recipe r = copy();
        r.gradient = g;
        r.ownStep = null;
        return r;
    }

    /** The finite-difference step h of numerical gradients, or spsa's ε. */
    public Recipe withH(double h) {
        Recipe r = copy();
        r.h = positive("finite-difference step", h);
        return r;
    }

    /** The directions n that each spsa step averages (n-SPSA), at least 1; 2n forward passes a step. */
    public Recipe withDirections(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("spsa needs at least one direction a step, got " + n);
        }
        Recipe r = copy();
        r.directions = n;
        return r;
    }

    /**
     * What a zeroth-order step minimises: the loss, or accuracy or f1-macro, metrics without a
     * gradient ({@link Objective}). Any but the loss needs gradient spsa and a classifier.
     */
    public Recipe withObjective(String name) {
        Recipe r = copy();
        r.objective = Objective.of(name);
        return r;
    }

    /** The number type of backpropagation's arithmetic and of the updates. */
    public Recipe withDtype(Dtype dtype) {
        Recipe r = copy();
        r.dtype = Objects.requireNonNull(dtype, "dtype");
        return r;
    }

    /** A training step of one's own (a gradient source of one's own: {@code TrainingStep.of(source)}). */
    public Recipe withStep(TrainingStep step) {
        Recipe r = copy();
        r.ownStep = Objects.requireNonNull(step, "step");
        return r;
    }

    // ---- the optimizer and its schedule -----------------------------------------------------------

    /** sgd, momentum or adam; the learning rate stays the one set, or becomes this optimizer's default. */
    public Recipe withOptimizer(String name) {
        String o = name.trim().toLowerCase(Locale.ROOT);
        if (!Optimizers.NAMES.contains(o)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "': expected one of "
                    + String.join(", ", Optimizers.NAMES));
        }
        Recipe r = copy();
        r.optimizer = o;
        return r;
    }

    public Recipe withLearningRate(double rate) {
        Recipe r = copy();
        r.learningRate = positive("learning rate", rate);
        return r;
    }

    /** Momentum's β, in [0, 1). */
    public Recipe withMomentum(double beta) {
        Recipe r = copy();
        r.momentum = unit("momentum", beta);
        return r;
    }

    /** Adam's β1 and β2, each in [0, 1). */
    public Recipe withBetas(double beta1, double beta2) {
        Recipe r = copy();
        r.beta1 = unit("beta1", beta1);
        r.beta2 = unit("beta2", beta2);
        return r;
    }

    /** Adam's ε. */
    public Recipe withEpsilon(double epsilon) {
        Recipe r = copy();
        r.epsilon = positive("epsilon", epsilon);
        return r;
    }

    /** L2 weight decay λ ≥ 0: added to the gradient for sgd and momentum, decoupled for adam (AdamW). */
    public Recipe withWeightDecay(double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("the weight decay must be zero or positive and finite, got " + lambda);
        }
        Recipe r = copy();
        r.weightDecay = lambda;
        return r;
    }

    /** constant, step or cosine ({@link LearningRateSchedule}). */
    public Recipe withSchedule(String kind) {
        String k = kind.trim().toLowerCase(Locale.ROOT);
        if (!LearningRateSchedule.KINDS.contains(k)) {
            throw new IllegalArgumentException("unknown learning-rate schedule '" + kind + "': expected one of "
                    + String.join(", ", LearningRateSchedule.KINDS));
        }
        Recipe r = copy();
        r.schedule = k;
        return r;
    }

    /** Epochs of linear warm-up, fewer than the epochs. */
    public Recipe withWarmup(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("the warm-up must be 0 or more epochs, got " + epochs);
        }
        Recipe r = copy();
        r.warmup = epochs;
        return r;
    }

    /** Epochs between the cuts of the step schedule (by default a third of the epochs after warm-up). */
    public Recipe withStepSize(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("the step size must be at least 1 epoch, got " + epochs);
        }
        Recipe r = copy();
        r.stepSize = epochs;
        return r;
    }

    /**
     * The plateau schedule's patience, threshold and floor: the rate is cut by the factor
     * ({@link #withGamma}) after {@code patience} epochs without a relative improvement of
     * {@code threshold} in the loss, never below {@code minRate} (PyTorch's ReduceLROnPlateau).
     */
    public Recipe withPlateau(int patience, double threshold, double minRate) {
        new ReduceLROnPlateau(1, 0.5, patience, threshold, minRate); // checks them
        Recipe r = copy();
        r.plateauPatience = patience;
        r.plateauThreshold = threshold;
        r.minRate = minRate;
        return r;
    }

    /** The factor of each cut of the step schedule, in (0, 1]. */
    public Recipe withGamma(double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("the step factor must be in (0, 1], got " + gamma);
        }
        Recipe r = copy();
        r.gamma = gamma;
        return r;
    }

    // ---- the loop ---------------------------------------------------------------------------------

    /** Samples per step; {@link Trainer#FULL_BATCH} for the whole training set. */
    public Recipe withBatch(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + size);
        }
        Recipe r = copy();
        r.batch = size;
        return r;
    }

    public Recipe withEpochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        Recipe r = copy();
        r.epochs = epochs;
        return r;
    }

    /** Stop when the validation loss has not improved for this many epochs (0: never), keeping the best θ. */
    public Recipe withPatience(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("patience must be 0 (none) or more epochs, got " + epochs);
        }
        Recipe r = copy();
        r.patience = epochs;
        return r;
    }

    // ---- what the recipe makes -------------------------------------------------------------------

    /**
     * A network of this recipe's layers for {@code inputs} features and {@code outputs} classes (or
     * targets), its parameters drawn by the initialisation from the seed, with dropout layers when
     * the recipe has dropout. Only for a recipe whose parameters are drawn.
     */
    public Network network(int inputs, int outputs) {
        if (init == null) {
            throw new IllegalStateException("this recipe's parameters are given (" + givenParameters
                    + "), not drawn: train the network that holds them");
        }
        Network network = build(inputs, outputs);
        init.initialize(network, seed);
        return network;
    }

    /**
     * A network of this recipe's layers, dropout included, its parameters zero until set (by an
     * initialisation, or from a θ sent to a worker).
     *
     * @throws IllegalArgumentException naming the layer and the shapes, when convolutions or
     *         pooling have no input shape or do not fit the image they get
     */
    public Network build(int inputs, int outputs) {
        return withDropoutLayers(LayerSpec.build(inputShape, inputs, layers, activation, outputs));
    }

    /** The network for {@code data}: its features in, its classes (or targets) out. */
    public Network network(Dataset data) {
        return network(data.featureCount(), data.classCount());
    }

    /**
     * {@code network} with a dropout layer after each hidden activation (after each hidden dense
     * layer, where it has none), sharing its layers; each dropout draws its own masks, from the
     * seed and its place. The network itself without dropout.
     */
    public Network withDropoutLayers(Network network) {
        if (dropout == 0) {
            return network;
        }
        List<Layer> layers = network.layers();
        int lastDense = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).parameters().size() > 0) {
                lastDense = i;
            }
        }
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.add(layers.get(i));
            boolean hiddenLayer = i < lastDense;
            boolean endOfBlock = i + 1 >= layers.size() || !layers.get(i + 1).parameters().isEmpty();
            if (hiddenLayer && endOfBlock) {
                out.add(new Dropout(dropout, seed * 0x9E3779B97F4A7C15L + i));
            }
        }
        return network.withLayers(out);
    }

    /**
     * The loss on {@code data}'s targets: cross-entropy for a classifier, the regression loss over
     * the set's target matrix for regression (a validation split shares it; a test set takes its own).
     */
    public Loss loss(Dataset data) {
        if (data.isRegression() != (task == Task.REGRESSION)) {
            throw new IllegalArgumentException("a " + task + " recipe cannot train on " + (data.isRegression()
                    ? "regression targets" : "class labels") + ": " + data.description());
        }
        if (!data.isRegression()) { // the class weights of data's own labels, unless resolved for the run already
            return new SoftmaxCrossEntropy(reduction, classWeights.resolve(data.classNames(), data.labels()));
        }
        return loss(data.targets());
    }

    /**
     * This recipe's loss over {@code targets} (M, t) for regression; targets are ignored for a
     * classifier, whose class weights must be none or resolved already ({@link #loss(Dataset)}
     * resolves them).
     */
    public Loss loss(Matrix targets) {
        if (task == Task.CLASSIFICATION) {
            return new SoftmaxCrossEntropy(reduction, classWeights);
        }
        return regressionLoss.equals("huber") ? new Huber(reduction, targets, huberDelta)
                : new MeanSquaredError(reduction, targets);
    }

    /**
     * The step each batch takes: the fused backprop step, central differences then the update, the
     * zeroth-order spsa step, or one's own. Throws for an objective other than the loss on a step
     * that descends a gradient, or on a regression.
     */
    public TrainingStep step() {
        if (ownStep != null) {
            return ownStep;
        }
        if (!objective.isLoss() && (!gradient.equals("spsa") || task == Task.REGRESSION)) {
            throw new IllegalStateException("the objective " + objective + " has no gradient: it needs gradient spsa"
                    + " and a classifier (this recipe: " + gradient + ", " + task + ")");
        }
        switch (gradient) {
            case "numerical":
                return TrainingStep.of(new FastCentralDifference(h()));
            case "spsa":
                return new FusedSpsa(dtype, h(), directions, objective);
            default:
                return new FusedBackprop(dtype);
        }
    }

    /** The finite-difference step: the one set, else the gradient's own default (1e-6; spsa's ε 1e-3). */
    public double h() {
        if (!Double.isNaN(h)) {
            return h;
        }
        return gradient.equals("spsa") ? Defaults.SPSA_H : Defaults.H;
    }

    /** The directions each spsa step averages. */
    public int directions() {
        return directions;
    }

    /** What a zeroth-order step minimises: the loss unless set. */
    public Objective objective() {
        return objective;
    }

    /** The learning rate: the one set, else Adam's default with adam, else the preset's. */
    public double learningRate() {
        if (!Double.isNaN(learningRate)) {
            return learningRate;
        }
        return optimizer.equals("adam") ? Adam.DEFAULT_LR : presetRate;
    }

    /** The optimizer and every constant of it. */
    public Optimizers.Settings optimizerSettings() {
        return new Optimizers.Settings(optimizer, learningRate(), momentum, beta1, beta2, epsilon, weightDecay);
    }

    /** A new optimizer, at the start of its run. */
    public Optimizer newOptimizer() {
        return Optimizers.create(optimizerSettings());
    }

    /** The learning rate of each epoch; throws when the warm-up is not shorter than the run. */
    public LearningRateSchedule schedule() {
        int steps = stepSize > 0 ? stepSize : Math.max(1, (epochs - warmup) / 3);
        return new LearningRateSchedule(schedule, learningRate(), epochs, warmup, steps, gamma);
    }

    /** The seed of the mini-batches' order: one past the initialisation's, so the two streams differ. */
    public long shuffleSeed() {
        return seed + 1;
    }

    /**
     * A trainer of this recipe for {@code data}: its step, its loss on data's targets, a new
     * optimizer, the epochs, batches, shuffle, schedule and patience. With patience, give it a
     * validation set before fitting.
     */
    public Trainer trainer(Dataset data) {
        return trainer(loss(data));
    }

    /** The same, on a loss already bound to its targets. */
    public Trainer trainer(Loss loss) {
        return policy(new Trainer(step(), loss, newOptimizer(), epochs).batchSize(batch).shuffleSeed(shuffleSeed()));
    }

    /**
     * A trainer of this run's first {@code n} epochs on {@code data}, at the rates the whole run
     * takes in them, without early stopping: a short probe of the run, as the doctor runs them.
     */
    public Trainer firstEpochs(Dataset data, int n) {
        return rates(new Trainer(step(), loss(data), newOptimizer(), n).batchSize(batch).shuffleSeed(shuffleSeed()));
    }

    /**
     * A trainer of this recipe's policy (a new optimizer, the epochs, schedule and patience) for
     * epochs whose steps run elsewhere: {@code fit(network, epochs, state)} with the {@code Epochs}
     * that run them (Descent on Spark's).
     */
    public Trainer trainer() {
        return policy(new Trainer(newOptimizer(), epochs));
    }

    private Trainer policy(Trainer t) {
        return patience > 0 ? rates(t).patience(patience) : rates(t);
    }

    /** The trainer with this run's rates: the schedule's, or the plateau's listener. */
    private Trainer rates(Trainer t) {
        LearningRateSchedule rates = schedule();
        if (rates.onPlateau()) {
            return t.listener(plateau());
        }
        return rates.isConstant() ? t : t.schedule(rates);
    }

    /** The listener that cuts the rate on a plateau of the loss, for the plateau schedule; null for another. */
    public ReduceLROnPlateau plateau() {
        return schedule.equals("plateau") ? new ReduceLROnPlateau(learningRate(), gamma, plateauPatience,
                plateauThreshold, minRate) : null;
    }

    /** The schedule in one line, for headers: {@code cosine to 0 over 30 epochs}, or the plateau's rule. */
    public String describeSchedule() {
        return schedule.equals("plateau") ? plateau().describe() : schedule().describe();
    }

    /** A trainer for {@code data} that evaluates {@code validation} every epoch (and stops early with patience). */
    public Trainer trainer(Dataset data, Dataset validation) {
        Trainer t = trainer(data);
        return validation == null ? t : t.validation(validation);
    }

    // ---- what the recipe says about itself ---------------------------------------------------------

    /** How the parameters start, in words: {@code he (weights normal, ...), seed 1}, or where given ones come from. */
    public String initDescription() {
        return init != null ? init + " (" + init.description() + "), seed " + seed : givenParameters;
    }

    /**
     * How a model trained by this recipe was made, for its file: each part's own entries
     * (the start, the step's gradients, the optimizer, dropout, the schedule, the batch, the loss,
     * the epochs). A run adds what only it knows (the data, its fingerprint, the results).
     */
    public Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("init", initDescription());
        p.put("seed", seed);
        p.putAll(step().gradients().provenance());
        p.putAll(optimizerSettings().provenance());
        p.put("dropout", dropout);
        p.putAll(schedule().provenance());
        if (schedule.equals("plateau")) {
            p.putAll(plateau().provenance());
        }
        p.put("batch", batch == Trainer.FULL_BATCH ? "full" : batch);
        p.putAll(loss(new Matrix(0, 1)).provenance());
        p.put("epochs", epochs);
        return p;
    }

    /** The widths of the hidden dense layers, input side first. */
    public List<Integer> hidden() {
        return LayerSpec.widths(layers);
    }

    /** The hidden layers, input side first. */
    public List<LayerSpec> layers() {
        return layers;
    }

    /** Whether the layers include convolutions or pooling, which need an {@link #inputShape}. */
    public boolean hasImageLayers() {
        return LayerSpec.anyImage(layers);
    }

    /** The shape of each row as an image, or null when none was given. */
    public Shape inputShape() {
        return inputShape;
    }

    public String activation() {
        return activation;
    }

    public double dropout() {
        return dropout;
    }

    /** The initialisation, or null when the parameters are given. */
    public Initializer init() {
        return init;
    }

    public long seed() {
        return seed;
    }

    public Task task() {
        return task;
    }

    public Reduction reduction() {
        return reduction;
    }

    /** The loss of a regression run: mse or huber. */
    public String regressionLoss() {
        return regressionLoss;
    }

    /** A classifier's class weights: none, a rule, or resolved weights. */
    public ClassWeights classWeights() {
        return classWeights;
    }

    /** backprop, numerical or spsa, or {@code own} for a step of one's own. */
    public String gradient() {
        return ownStep != null ? "own" : gradient;
    }

    public Dtype dtype() {
        return dtype;
    }

    public String optimizer() {
        return optimizer;
    }

    /** Samples per step; {@link Trainer#FULL_BATCH} for the whole set. */
    public int batch() {
        return batch;
    }

    public int epochs() {
        return epochs;
    }

    /** Epochs without improvement before early stopping; 0 for none. */
    public int patience() {
        return patience;
    }

    @Override
    public String toString() {
        return "Recipe" + provenance();
    }

    private static double positive(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("the " + what + " must be positive and finite, got " + v);
        }
        return v;
    }

    private static double unit(String what, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), got " + v);
        }
        return v;
    }
}
