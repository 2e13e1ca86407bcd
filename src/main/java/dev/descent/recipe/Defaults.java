package dev.descent.recipe;

import dev.descent.gradient.CentralDifference;
import dev.descent.gradient.Spsa;

/**
 * Every default of a training run, each stated once, as compile-time constants so that the
 * command line's {@code --help} can quote them. {@link Recipe#seedExample()} and
 * {@link Recipe#forData()} are built from them: one preset for the built-in seed example, faithful
 * to the thread it comes from (weights uniform in [0,1), loss summed over the samples, full-batch
 * gradient descent) with a learning rate under which true gradient descent converges for any seed;
 * and one for data files, with the usual choices for real data (He initialisation, mean loss,
 * mini-batches of 128): the fmnist-mlp recipe of our benchmarks.
 */
public final class Defaults {
    private Defaults() {}

    public static final String ACTIVATION = "relu";
    public static final long SEED = 1;
    public static final double H = CentralDifference.DEFAULT_H;
    public static final String OPTIMIZER = "sgd";
    public static final String GRADIENT = "backprop";
    public static final String TASK = "classification";
    public static final String REGRESSION_LOSS = "mse";
    public static final String SCHEDULE = "constant";
    /** spsa's ε, MeZO's: a float32 forward pass resolves a difference over 2ε = 2e-3, not over 2e-6. */
    public static final double SPSA_H = Spsa.DEFAULT_H;
    /** One direction a step, as MeZO takes: for a given number of forward passes, more steps beat better ones. */
    public static final int DIRECTIONS = 1;
    /** What a zeroth-order step minimises unless told: the loss. */
    public static final String OBJECTIVE = "loss";

    /**
     * float64 for the seed example, central differences and every gradient check: the reference,
     * whose 16 digits a difference over h = 1e-6 needs.
     */
    public static final String SEED_DTYPE = "float64";
    /**
     * float32 with --data, as PyTorch and Keras default to: on Fashion-MNIST (fmnist-mlp, 10 epochs)
     * its test accuracy matched float64's for every seed measured (86.55, 87.20, 86.89% against
     * 86.47, 87.14, 86.82% for seeds 1 to 3), and it trains faster (docs/performance.md).
     */
    public static final String DATA_DTYPE = "float32";

    public static final String SEED_LAYERS = "20";
    public static final String SEED_INIT = "uniform01";
    /** 0.5 on the summed loss, the thread's rate, overshoots; 0.05 reaches the 80% ceiling for every seed tried. */
    public static final double SEED_LR = 0.05;
    public static final int SEED_EPOCHS = 100;
    public static final String SEED_REDUCTION = "sum";
    public static final String SEED_BATCH = "full";

    public static final String DATA_LAYERS = "128";
    public static final String DATA_INIT = "he";
    public static final double DATA_LR = 0.1;
    public static final int DATA_EPOCHS = 10;
    public static final String DATA_REDUCTION = "mean";
    public static final String DATA_BATCH = "128";
}
