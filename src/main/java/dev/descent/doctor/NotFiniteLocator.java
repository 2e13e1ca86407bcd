package dev.descent.doctor;

import dev.descent.data.Dataset;
import dev.descent.doctor.Diagnosis.NotFinite;
import dev.descent.gradient.GradientSource;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import java.util.List;

/**
 * Replays the step where the loss stopped being finite, stage by stage (parameters, forward
 * pass, backward pass, update, forward pass after the update), to say where NaN or infinity
 * first appeared. Full-batch training is deterministic, so the replay meets what the run met.
 */
final class NotFiniteLocator {
    private final GradientSource gradients;
    private final Loss loss;
    private final Optimizer optimizer;

    /** @param optimizer a fresh optimizer of the run's kind and settings */
    NotFiniteLocator(GradientSource gradients, Loss loss, Optimizer optimizer) {
        this.gradients = gradients;
        this.loss = loss;
        this.optimizer = optimizer;
    }

    /** Replays the step where the loss stopped being finite, to find where it first appeared. */
    NotFinite locate(Network network, Watcher w, List<Matrix> start, Dataset data) {
        int epoch = w.notFiniteEpoch;
        network.restore(epoch == 0 ? start : w.beforeNotFinite);
        String where = firstNotFiniteParameter(network.parameters(), false);
        if (where != null) {
            return new NotFinite(epoch, epoch == 0 ? 0 : 1, "parameters", where);
        }
        where = firstNotFiniteLayer(network, data.featureMatrix());
        if (where != null || epoch == 0) {
            return new NotFinite(epoch, epoch == 0 ? 0 : 1, "forward pass", where == null ? "the loss" : where);
        }
        gradients.computeGradients(network, loss, data.featureMatrix(), data.labels());
        where = firstNotFiniteParameter(network.parameters(), true);
        if (where != null) {
            return new NotFinite(epoch, 1, "backward pass", "the gradient of " + where);
        }
        optimizer.step(network.parameters());
        where = firstNotFiniteParameter(network.parameters(), false);
        if (where != null) {
            return new NotFinite(epoch, 1, "update", where);
        }
        where = firstNotFiniteLayer(network, data.featureMatrix());
        return new NotFinite(epoch, 1, "forward pass after the update", where == null ? "the loss" : where);
    }

    private static String firstNotFiniteParameter(List<Parameter> parameters, boolean gradient) {
        for (Parameter p : parameters) {
            for (double v : (gradient ? p.grad() : p.value()).data()) {
                if (!Double.isFinite(v)) {
                    return p.name();
                }
            }
        }
        return null;
    }

    private static String firstNotFiniteLayer(Network network, Matrix x) {
        List<Matrix> trace = network.forwardTrace(x);
        for (int i = 0; i < trace.size(); i++) {
            for (double v : trace.get(i).data()) {
                if (!Double.isFinite(v)) {
                    return "layer " + (i + 1) + " (" + network.layers().get(i).kind() + ")";
                }
            }
        }
        return null;
    }
}
