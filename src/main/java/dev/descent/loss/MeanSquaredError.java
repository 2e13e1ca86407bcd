package dev.descent.loss;

import dev.descent.tensor.Matrix;

/**
 * Mean squared error, {@code ℓ_r = (1/t)·Σ_j (z_rj − y_rj)²}, with gradient
 * {@code dℓ_r/dz_rj = 2·(z_rj − y_rj)/t}; with the MEAN reduction, L is PyTorch's
 * {@code MSELoss()} and Keras' {@code mse}. It is the negative log-likelihood of Gaussian noise
 * of fixed variance, up to constants (Bishop, <i>Pattern Recognition and Machine Learning</i>,
 * 2006, §3.1.1). scikit-learn's {@code MLPRegressor} minimises half of it.
 */
public final class MeanSquaredError extends RegressionLoss {
    public MeanSquaredError(Reduction reduction, Matrix targets) {
        super(reduction, targets);
    }

    @Override
    public String name() {
        return "mse";
    }

    @Override
    public MeanSquaredError withTargets(Matrix targets) {
        return new MeanSquaredError(reduction(), targets);
    }

    @Override
    protected double penalty(double d) {
        return d * d;
    }

    @Override
    protected double slope(double d) {
        return 2 * d;
    }

    @Override
    protected String penaltyName() {
        return "mean squared error";
    }
}
