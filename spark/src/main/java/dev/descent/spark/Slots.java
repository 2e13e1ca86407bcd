package dev.descent.spark;

import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The optimizer's running sums (momentum's velocity, Adam's m and v) laid out after θ in one
 * flat vector, so that averaging θ and averaging them are one weighted sum. Slots in name order,
 * each a tensor per parameter in {@code Network.parameters()} order.
 *
 * @param names the optimizer's slots, sorted
 * @param sizes each parameter tensor's size
 */
record Slots(List<String> names, int[] sizes) implements Serializable {
    /** The slots of the plan's optimizer on {@code network}, found by starting a step on a throwaway one. */
    static Slots of(Plan plan, Network network) {
        Optimizer probe = plan.recipe().newOptimizer();
        probe.begin(network.parameters());
        int[] sizes = network.parameters().stream().mapToInt(p -> p.size()).toArray();
        return new Slots(List.copyOf(new TreeMap<>(probe.state().slots()).keySet()), sizes);
    }

    int parameterCount() {
        return Arrays.stream(sizes).sum();
    }

    /** θ, then every slot of {@code state}, in one array; a slot not yet begun (no tensors) is zeros. */
    double[] flatten(double[] theta, Optimizer.State state) {
        int count = theta.length;
        double[] out = new double[count * (1 + names.size())];
        System.arraycopy(theta, 0, out, 0, count);
        int at = count;
        for (String name : names) {
            List<double[]> tensors = state.slots().getOrDefault(name, List.of());
            for (double[] tensor : tensors) {
                System.arraycopy(tensor, 0, out, at, tensor.length);
                at += tensor.length;
            }
            at = count * (2 + names.indexOf(name));
        }
        return out;
    }

    /** The optimizer state held in {@code flat} after θ's {@code count} values. */
    Optimizer.State state(double[] flat, int count, long steps) {
        Map<String, List<double[]>> slots = new LinkedHashMap<>();
        int at = count;
        for (String name : names) {
            List<double[]> tensors = new ArrayList<>();
            for (int size : sizes) {
                tensors.add(Arrays.copyOfRange(flat, at, at + size));
                at += size;
            }
            slots.put(name, tensors);
        }
        return new Optimizer.State(steps, slots);
    }
}
