package dev.descent.loss;

import dev.descent.tensor.Matrix;
import java.util.Map;

/**
 * The Huber loss (Huber (1964), "Robust Estimation of a Location Parameter"): quadratic near
 * zero and linear beyond δ, so outliers pull with a bounded force. With d = z − y,
 * <pre>
 *   ρ(d)  = ½·d²              for |d| ≤ δ,   δ·(|d| − ½·δ)   otherwise
 *   ρ'(d) = d                 for |d| ≤ δ,   δ·sign(d)       otherwise
 * </pre>
 * averaged over the targets as {@link RegressionLoss} says; PyTorch's {@code HuberLoss(delta=δ)}.
 * ρ' is continuous (at |d| = δ both sides give ±δ); only ρ'' jumps there.
 */
public final class Huber extends RegressionLoss {
    public static final double DEFAULT_DELTA = 1.0;

    private final double delta;

    public Huber(Reduction reduction, Matrix targets, double delta) {
        super(reduction, targets);
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("the Huber loss's delta must be positive and finite, got " + delta);
        }
        this.delta = delta;
    }

    public double delta() {
        return delta;
    }

    @Override
    public String name() {
        return "huber";
    }

    @Override
    public Map<String, Object> provenance() {
        Map<String, Object> p = super.provenance();
        p.put("huberDelta", delta);
        return p;
    }

    @Override
    public Huber withTargets(Matrix targets) {
        return new Huber(reduction(), targets, delta);
    }

    @Override
    protected double penalty(double d) {
        double a = Math.abs(d);
        return a <= delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
    }

    @Override
    protected double slope(double d) {
        return d > delta ? delta : d < -delta ? -delta : d;
    }

    @Override
    protected String penaltyName() {
        return "huber, delta " + delta;
    }
}
