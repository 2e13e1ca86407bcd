package dev.descent.spark;

import dev.descent.layers.Parameter;
import dev.descent.network.Network;

/** θ in one flat array, tensor after tensor in {@code Network.parameters()} order. */
final class Theta {
    private Theta() {}

    static double[] read(Network network) {
        double[] theta = new double[network.parameterCount()];
        int at = 0;
        for (Parameter p : network.parameters()) {
            System.arraycopy(p.value().data(), 0, theta, at, p.size());
            at += p.size();
        }
        return theta;
    }

    static void write(double[] theta, Network network) {
        int at = 0;
        for (Parameter p : network.parameters()) {
            System.arraycopy(theta, at, p.value().data(), 0, p.size());
            at += p.size();
        }
    }

    /** Adds every parameter's gradient to g, flat. Modifies g. */
    static void addGradients(Network network, double[] g) {
        int at = 0;
        for (Parameter p : network.parameters()) {
            double[] d = p.grad().data();
            for (int i = 0; i < d.length; i++) {
                g[at + i] += d[i];
            }
            at += p.size();
        }
    }

    /** Sets every parameter's gradient to scale · g. */
    static void setGradients(double[] g, double scale, Network network) {
        int at = 0;
        for (Parameter p : network.parameters()) {
            double[] d = p.grad().data();
            for (int i = 0; i < d.length; i++) {
                d[i] = g[at + i] * scale;
            }
            at += p.size();
        }
    }
}
