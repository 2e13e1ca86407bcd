package dev.descent.layers;

/**
 * Where a layer's first parameter values come from: an initializer's draw for a tensor of the
 * given fan-in (inputs per output) and fan-out. See {@link Layer#initialize}.
 */
public interface ParameterDraw {
    /** One weight of a layer with {@code fanIn} inputs and {@code fanOut} outputs. */
    double weight(int fanIn, int fanOut);

    /** One bias of such a layer. */
    double bias(int fanIn, int fanOut);
}
