package dev.descent.gradcheck;

import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a wrong gradient enters a network: each layer's input gradient, dL/dx, checked in place,
 * on the input that layer really receives there (its own forward of the batch), under a probe loss.
 * Backpropagation hands each layer's dL/dx to the layer below, so a layer that passes down a wrong
 * one makes every tensor below it fail, though their own backward is right. The topmost layer
 * whose input gradient is wrong, with failing tensors below it, takes the blame.
 */
final class InPlace {
    /** Entries of each layer's input compared, evenly spread: enough to see a wrong map, cheap for a wide one. */
    static final int ENTRIES = 200;
    /** The seed of the probe loss's R. */
    static final long PROBE_SEED = 0xB1A3E;

    private InPlace() {}

    /**
     * The layer to blame for the failing tensors among {@code tensors} (in the network's parameter
     * order), or null when no layer's input gradient is wrong above a failing tensor.
     */
    static InputBlame blame(GradientCheck check, Network network, Matrix x, List<TensorCheck> tensors) {
        List<Layer> layers = network.layers();
        List<Matrix> inputs = new ArrayList<>(List.of(x));
        for (Matrix y : network.forwardTrace(x)) {
            inputs.add(y.copy()); // a layer may reuse its output buffer
        }
        Map<Matrix, Integer> owner = owners(layers);
        for (int i = layers.size() - 1; i >= 1; i--) {
            List<String> through = failingBelow(network, tensors, owner, i);
            if (through.isEmpty()) {
                continue;
            }
            Layer layer = layers.get(i);
            Matrix input = inputs.get(i).copy();
            Matrix probe = GradientCheck.probe(layer.forward(input), PROBE_SEED + i);
            TensorCheck in = check.checkInput(layer, input, probe, "dx of layer " + (i + 1), ENTRIES);
            if (!in.passed() && in.nearKinks() < in.failures()) {
                return new InputBlame(i, layer.kind(), in, through);
            }
        }
        return null;
    }

    /** The failing tensors of the layers below layer {@code i}. */
    private static List<String> failingBelow(Network network, List<TensorCheck> tensors, Map<Matrix, Integer> owner,
            int i) {
        List<String> below = new ArrayList<>();
        List<Parameter> ps = network.parameters();
        for (int t = 0; t < ps.size(); t++) {
            if (owner.get(ps.get(t).value()) < i && !tensors.get(t).passed()) {
                below.add(tensors.get(t).name());
            }
        }
        return below;
    }

    /** The layer of each parameter, by its value tensor (the network's parameters are renamed views of the layers'). */
    private static Map<Matrix, Integer> owners(List<Layer> layers) {
        Map<Matrix, Integer> owner = new IdentityHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).parameters()) {
                owner.put(p.value(), i);
            }
        }
        return owner;
    }
}
