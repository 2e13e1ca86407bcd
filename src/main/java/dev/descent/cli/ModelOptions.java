package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.init.Initializer;
import dev.descent.io.Terminal;
import dev.descent.layers.Activation;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.modelfile.ModelFileException;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options that say what network to train and where its parameters start. */
public final class ModelOptions {
    @Option(names = "--layers", paramLabel = "WIDTHS",
            description = "Hidden layer widths, such as 20 or 128,64 ("
                    + "default: " + Defaults.SEED_LAYERS + " for the seed example, " + Defaults.DATA_LAYERS
                    + " with --data).")
    String layers;

    @Option(names = "--activation", paramLabel = "NAME",
            description = "Activation after each hidden layer: relu, sigmoid or tanh (default: "
                    + Defaults.ACTIVATION + ").")
    String activation;

    @Option(names = "--init", paramLabel = "NAME|FILE",
            description = "How the parameters start: uniform01 (the thread's: weights uniform in [0,1), biases 0), "
                    + "xavier, he, pytorch (torch.nn.Linear's), or a model file saved with --save (default: " + Defaults.SEED_INIT
                    + " for the seed example, " + Defaults.DATA_INIT + " with --data).")
    String init;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the random generators: initialisation, shuffling, validation split (default: "
                    + Defaults.SEED + ").")
    Long seed;

    @Option(names = "--dropout", paramLabel = "P",
            description = "Drop each hidden activation with probability P while training (inverted dropout: kept "
                    + "values scaled by 1/(1 − P); off at evaluation and prediction) (default: 0, none).")
    Double dropout;

    /** The dropout probability, checked: 0 for none. */
    double dropout() {
        if (dropout == null) {
            return 0.0;
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw UserError.badValue("--dropout", dropout, "must be in [0, 1)");
        }
        return dropout;
    }

    /**
     * {@code network} with a dropout layer after each hidden activation (after each hidden dense
     * layer, where it has none), sharing its layers; each dropout draws its own masks, from the
     * seed and its place. The network itself for p = 0.
     */
    Network withDropout(Network network) {
        double p = dropout();
        if (p == 0) {
            return network;
        }
        java.util.List<dev.descent.layers.Layer> layers = new java.util.ArrayList<>(network.layers());
        int lastDense = 0;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof dev.descent.layers.Dense) {
                lastDense = i;
            }
        }
        java.util.List<dev.descent.layers.Layer> out = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.add(layers.get(i));
            boolean hidden = i < lastDense;
            boolean endOfBlock = i + 1 >= layers.size() || layers.get(i + 1) instanceof dev.descent.layers.Dense;
            if (hidden && endOfBlock) {
                out.add(new dev.descent.layers.Dropout(p, seed() * 0x9E3779B97F4A7C15L + i));
            }
        }
        return new Network(network.inputSize(), out);
    }

    long seed() {
        return seed != null ? seed : Defaults.SEED;
    }

    String activation(Defaults preset) {
        String a = (activation != null ? activation : preset.activation()).toLowerCase(Locale.ROOT);
        if (!Activation.NAMES.contains(a)) {
            throw UserError.badValue("--activation", activation, "is not one of " + String.join(", ", Activation.NAMES));
        }
        return a;
    }

    List<Integer> hiddenLayers(Defaults preset) {
        return layers != null ? Parse.layers("--layers", layers) : preset.layers();
    }

    /** The initialisation by name, or null when {@code --init} names a model file. */
    Initializer initializer(Defaults preset) {
        String name = init != null ? init : preset.init();
        if (Initializer.NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            return Initializer.parse(name);
        }
        return null;
    }

    /** What the run starts from, in words, for headers and model files. */
    String initDescription(Defaults preset) {
        Initializer initializer = initializer(preset);
        return initializer != null ? initializer + " (" + initializer.description() + "), seed " + seed()
                : "model file " + Terminal.escape(init);
    }

    /** Checks the options that need no data, so a typo is reported before a large file is read. */
    void check(Defaults preset) {
        dropout();
        if (layers != null) {
            MemoryCheck.hidden("--layers", layers, hiddenLayers(preset));
        }
        activation(preset);
        if (initializer(preset) == null) {
            Path file = Path.of(init);
            if (!Files.exists(file) || Files.isDirectory(file)) { // a pipe, <(cat m.json), is read as a file is
                throw UserError.badValue("--init", init, "is neither " + String.join(", ", Initializer.NAMES)
                        + " nor an existing model file");
            }
            if (layers != null || activation != null) {
                throw new UserError("--init " + init + ": the model file fixes the layers and activation; "
                        + "leave out --layers and --activation");
            }
        }
    }

    /**
     * The network, initialised, or the model file's, checked against the data: its input width must
     * match the features and its outputs the classes.
     */
    Model model(Dataset dataset, Defaults preset) {
        check(preset);
        Initializer initializer = initializer(preset);
        if (initializer == null) {
            Model m = readModel("--init", Path.of(init), dataset);
            return new Model(withDropout(m.network()), m.classNames(), m.standardization(), m.training(), m.output(),
                    m.targetStandardization());
        }
        Network network = new Architecture(dataset.featureCount(), hiddenLayers(preset), activation(preset),
                dataset.classCount()).build();
        initializer.initialize(network, seed());
        return new Model(withDropout(network), dataset.classNames(), java.util.Map.of());
    }

    /** Reads a model file for {@code flag}, checked against the data when given. */
    static Model readModel(String flag, Path file, Dataset dataset) {
        DataOptions.requireExists(flag, file);
        Model model;
        try {
            model = ModelFile.read(file);
        } catch (ModelFileException e) {
            throw new UserError(flag + ": " + e.getMessage());
        }
        Network network = model.network();
        if (dataset != null && network.inputSize() != dataset.featureCount()) {
            throw new UserError(flag + ": " + file + " takes " + network.inputSize() + " inputs but the data has "
                    + dataset.featureCount() + " features");
        }
        if (dataset != null && network.outputSize() != dataset.classCount()) {
            throw new UserError(flag + ": " + file + " has " + network.outputSize() + " outputs but the data has "
                    + dataset.classCount() + " classes");
        }
        return model;
    }
}
