package dev.descent.cli;

import dev.descent.Descent;
import dev.descent.data.Dataset;
import dev.descent.gradient.CentralDifference;
import dev.descent.gradient.GradientSource;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.train.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a training run needs, resolved from the options and checked, before any work starts.
 * Shared by every command that trains or checks a network.
 */
record Setup(Dataset data, Network network, String init, GradientSource gradients, Reduction reduction,
        double learningRate, int epochs, long seed) {

    static Setup of(ModelOptions model, LossOptions loss, TrainingOptions training) {
        Defaults preset = model.preset();
        // Flags first, so a typo is reported before a large file is read.
        GradientSource gradients = training.gradientSource();
        double lr = training.learningRate(preset);
        int epochs = training.epochs(preset);
        Reduction reduction = loss.reduction(preset);
        model.hiddenLayers();
        model.activation();
        Dataset data = model.loadData();
        Network network = model.network(data);
        return new Setup(data, network, model.initDescription(), gradients, reduction, lr, epochs, model.seed());
    }

    Trainer trainer() {
        return new Trainer(gradients, new SoftmaxCrossEntropy(reduction), new GradientDescent(learningRate), epochs);
    }

    /** How the loss is reduced, for axis labels: {@code loss (sum over 10 samples)}. */
    String lossLabel() {
        return "loss (" + (reduction == Reduction.SUM ? "sum" : "mean") + " over " + data.size() + " samples)";
    }

    /** The lines of the header, as label and value. */
    Map<String, String> header() {
        Map<String, String> h = modelHeader(data, network, init, reduction);
        h.put("gradient", gradients.describe());
        h.put("optimizer", "gradient descent, full batch, lr " + learningRate);
        h.put("epochs", Integer.toString(epochs));
        return h;
    }

    /** The header lines that say what is trained or checked: data, network, init, loss. */
    static Map<String, String> modelHeader(Dataset data, Network network, String init, Reduction reduction) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("data", data.summary());
        h.put("network", network.describe() + "  (" + network.parameterCount() + " parameters)");
        h.put("init", init);
        h.put("loss", "cross-entropy from log-softmax, " + reduction + " over the samples");
        return h;
    }

    /** Prints a header: a title line, then label and value lines. */
    static void printHeader(java.io.PrintWriter out, String title, Map<String, String> lines) {
        out.println("Descent " + Descent.VERSION + ": " + title);
        for (Map.Entry<String, String> e : lines.entrySet()) {
            out.printf("  %-10s %s%n", e.getKey(), e.getValue());
        }
        out.println();
    }

    /** How the model was made, for the model file. */
    Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("descent", Descent.VERSION);
        p.put("data", data.summary());
        p.put("init", init);
        p.put("seed", seed);
        p.put("gradient", gradients instanceof CentralDifference ? "numerical" : "backprop");
        if (gradients instanceof CentralDifference cd) {
            p.put("h", cd.h());
        }
        p.put("optimizer", "gradient descent");
        p.put("learningRate", learningRate);
        p.put("reduction", reduction.toString());
        p.put("epochs", epochs);
        return p;
    }
}
