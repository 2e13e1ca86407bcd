package dev.descent.cli;

import dev.descent.data.CsvDataset;
import dev.descent.data.DataFormatException;
import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.init.Initializer;
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

/** The options that say what to train on and from where: data, architecture, initialisation. */
public final class ModelOptions {
    @Option(names = "--data", paramLabel = "FILE",
            description = "Training data: a CSV file with a header row and the label in the last column. "
                    + "Absent: the built-in seed example (10 samples, 5 features, 10 classes).")
    Path data;

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
                    + "xavier, he, or a model file saved with --save (default: " + Defaults.SEED_INIT
                    + " for the seed example, " + Defaults.DATA_INIT + " with --data).")
    String init;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the random generator for initialisation (default: " + Defaults.SEED + ").")
    Long seed;

    /** The preset whose defaults fill the options not given. */
    Defaults preset() {
        return data == null ? Defaults.SEED_EXAMPLE : Defaults.DATA_FILE;
    }

    /** The data set, or a {@link UserError} naming the file, line and value that are wrong. */
    Dataset loadData() {
        if (data == null) {
            return SeedExample.dataset();
        }
        try {
            return CsvDataset.read(data);
        } catch (DataFormatException e) {
            throw new UserError("--data: " + e.getMessage());
        }
    }

    long seed() {
        return seed != null ? seed : Defaults.SEED;
    }

    String activation() {
        String a = (activation != null ? activation : preset().activation()).toLowerCase(Locale.ROOT);
        if (!Activation.NAMES.contains(a)) {
            throw UserError.badValue("--activation", activation, "is not one of " + String.join(", ", Activation.NAMES));
        }
        return a;
    }

    List<Integer> hiddenLayers() {
        return layers != null ? Parse.layers("--layers", layers) : preset().layers();
    }

    /** The initialisation by name, or null when {@code --init} names a model file. */
    Initializer initializer() {
        String name = init != null ? init : preset().init();
        if (Initializer.NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            return Initializer.parse(name);
        }
        return null;
    }

    /** What the run starts from, in words, for headers and model files. */
    String initDescription() {
        Initializer initializer = initializer();
        return initializer != null ? initializer + " (" + initializer.description() + "), seed " + seed()
                : "model file " + init;
    }

    /**
     * The network, initialised, checked against the data: its input width must match the features and
     * its outputs the classes.
     */
    Network network(Dataset dataset) {
        Initializer initializer = initializer();
        List<Integer> hidden = hiddenLayers();
        String act = activation();
        if (initializer == null) {
            return fromModelFile(dataset);
        }
        Network network = new Architecture(dataset.featureCount(), hidden, act, dataset.classCount()).build();
        initializer.initialize(network, seed());
        return network;
    }

    private Network fromModelFile(Dataset dataset) {
        Path file = Path.of(init);
        if (!Files.exists(file)) {
            throw UserError.badValue("--init", init, "is neither " + String.join(", ", Initializer.NAMES)
                    + " nor an existing model file");
        }
        if (layers != null || activation != null) {
            throw new UserError("--init " + init + ": the model file fixes the layers and activation; "
                    + "leave out --layers and --activation");
        }
        Model model;
        try {
            model = ModelFile.read(file);
        } catch (ModelFileException e) {
            throw new UserError("--init: " + e.getMessage());
        }
        Network network = model.network();
        if (network.inputSize() != dataset.featureCount()) {
            throw new UserError("--init: " + init + " takes " + network.inputSize() + " inputs but the data has "
                    + dataset.featureCount() + " features");
        }
        if (network.outputSize() != dataset.classCount()) {
            throw new UserError("--init: " + init + " has " + network.outputSize() + " outputs but the data has "
                    + dataset.classCount() + " classes");
        }
        return network;
    }
}
