package dev.descent.init;

import dev.descent.layers.ParameterDraw;
import dev.descent.layers.Layer;
import dev.descent.network.Network;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How a network's dense layers get their first parameters, drawn from one {@link Random} seeded
 * by the user. Layers are visited in order and each weight matrix is filled row by row, so a seed
 * fixes every value on every JDK ({@code java.util.Random}'s algorithm is part of its
 * specification). Biases start at zero, except where an initializer says otherwise.
 */
public enum Initializer {
    /** Weights uniform in [0, 1): the original thread's {@code np.random.rand}. */
    UNIFORM01("weights uniform in [0,1), biases 0") {
        @Override
        double draw(Random rng, int in, int out) {
            return rng.nextDouble();
        }
    },
    /**
     * Glorot and Bengio (2010), "Understanding the difficulty of training deep feedforward
     * neural networks": weights uniform in [-a, a] with a = sqrt(6 / (in + out)).
     */
    XAVIER("weights uniform in [-a,a], a = sqrt(6/(in+out)), biases 0") {
        @Override
        double draw(Random rng, int in, int out) {
            double a = Math.sqrt(6.0 / (in + out));
            return (2.0 * rng.nextDouble() - 1.0) * a;
        }
    },
    /**
     * He, Zhang, Ren and Sun (2015), "Delving Deep into Rectifiers": weights normal with mean 0
     * and standard deviation sqrt(2 / in), suited to ReLU.
     */
    HE("weights normal, sd sqrt(2/in), biases 0") {
        @Override
        double draw(Random rng, int in, int out) {
            return rng.nextGaussian() * Math.sqrt(2.0 / in);
        }
    },
    /**
     * PyTorch's default for {@code nn.Linear} (kaiming_uniform with a = √5): weights and biases
     * uniform in [-1/√in, 1/√in]. The benchmark peers use it.
     */
    PYTORCH("weights and biases uniform in [-1/sqrt(in), 1/sqrt(in)], as torch.nn.Linear") {
        @Override
        double draw(Random rng, int in, int out) {
            return (2.0 * rng.nextDouble() - 1.0) / Math.sqrt(in);
        }

        @Override
        boolean drawsBiases() {
            return true;
        }
    };

    private final String description;

    Initializer(String description) {
        this.description = description;
    }

    abstract double draw(Random rng, int in, int out);

    /** Whether biases are drawn too (after the weights of the same layer) rather than set to zero. */
    boolean drawsBiases() {
        return false;
    }

    /**
     * Fills the parameters of every layer of {@code network} that draws them
     * ({@link Layer#initialize}: the dense layers, and a user's own layer that asks) from one
     * generator seeded with {@code seed}, in layer order.
     */
    public void initialize(Network network, long seed) {
        Random rng = new Random(seed);
        ParameterDraw from = new ParameterDraw() {
            @Override
            public double weight(int fanIn, int fanOut) {
                return draw(rng, fanIn, fanOut);
            }

            @Override
            public double bias(int fanIn, int fanOut) {
                return drawsBiases() ? draw(rng, fanIn, fanOut) : 0.0;
            }
        };
        for (Layer layer : network.layers()) {
            layer.initialize(from);
        }
    }

    /** One line for headers: the name and what it draws. */
    public String description() {
        return description;
    }

    /** The names {@link #parse} accepts. */
    public static final List<String> NAMES = List.of("uniform01", "xavier", "he", "pytorch");

    /** uniform01, xavier or he, case-insensitive. */
    public static Initializer parse(String name) {
        for (Initializer init : values()) {
            if (init.toString().equals(name.toLowerCase(Locale.ROOT))) {
                return init;
            }
        }
        throw new IllegalArgumentException("unknown initializer '" + name + "': expected one of "
                + String.join(", ", NAMES) + ", or a model file");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
