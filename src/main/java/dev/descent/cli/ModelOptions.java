package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.init.Initializer;
import dev.descent.io.Terminal;
import dev.descent.layers.Activation;
import dev.descent.layers.Shape;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.modelfile.ModelFileException;
import dev.descent.network.Network;
import dev.descent.recipe.Defaults;
import dev.descent.recipe.Recipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options that say what network to train and where its parameters start. */
public final class ModelOptions {
    @Option(names = "--layers", paramLabel = "LAYERS",
            description = "Hidden layers, in order: widths of dense layers, such as 20 or 128,64; for images, "
                    + "convolutions and pooling first: conv32k3p1 (32 filters of 3x3, padding 1; s2 for stride 2), "
                    + "pool2 (max pooling 2x2), avgpool2, flatten, such as conv32k3p1,pool2,conv64k3p1,pool2,128 ("
                    + "default: " + Defaults.SEED_LAYERS + " for the seed example, " + Defaults.DATA_LAYERS
                    + " with --data).")
    String layers;

    @Option(names = "--input-shape", paramLabel = "C,H,W",
            description = "Each row is an image of C channels of H x W, channels first, for convolutions and pooling "
                    + "(default: 1,H,W for an IDX directory's images; a CSV needs it).")
    String inputShape;

    @Option(names = "--activation", paramLabel = "NAME",
            description = "Activation after each hidden layer: relu, sigmoid or tanh (default: "
                    + Defaults.ACTIVATION + ").")
    String activation;

    @Option(names = "--init", paramLabel = "NAME|FILE",
            description = "How the parameters start: uniform01 (the thread's: weights uniform in [0,1), biases 0), "
                    + "xavier, he, pytorch (torch.nn.Linear's), a model file saved with --save, or weights "
                    + "(.safetensors, .npz, named as torch.nn.Sequential names them) for the network of --layers "
                    + "and --activation (default: " + Defaults.SEED_INIT
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

    /** Whether {@code --init} names a model file rather than an initialisation. */
    boolean initFromFile() {
        return init != null && !Initializer.NAMES.contains(init.toLowerCase(Locale.ROOT));
    }

    long seed() {
        return seed != null ? seed : Defaults.SEED;
    }

    /**
     * {@code recipe} with these options' network, start, seed and dropout, each checked; a model
     * file given with {@code --init} must exist and fixes the layers and activation.
     */
    Recipe applyTo(Recipe recipe) {
        Recipe r = recipe.withSeed(seed());
        if (dropout != null) {
            if (!(dropout >= 0 && dropout < 1)) {
                throw UserError.badValue("--dropout", dropout, "must be in [0, 1)");
            }
            r = r.withDropout(dropout);
        }
        if (layers != null) {
            try {
                r = r.withLayers(layers);
            } catch (IllegalArgumentException e) {
                throw new UserError("--layers: " + e.getMessage());
            }
            if (!r.hasImageLayers()) {
                MemoryCheck.hidden("--layers", layers, r.hidden());
            }
        }
        if (inputShape != null) {
            try {
                r = r.withInputShape(Shape.parse(inputShape));
            } catch (IllegalArgumentException e) {
                throw UserError.badValue("--input-shape", inputShape, "is not an image shape C,H,W of positive whole "
                        + "numbers, such as 1,28,28");
            }
        }
        if (activation != null) {
            if (!Activation.NAMES.contains(activation.toLowerCase(Locale.ROOT))) {
                throw UserError.badValue("--activation", activation, "is not one of "
                        + String.join(", ", Activation.NAMES));
            }
            r = r.withActivation(activation);
        }
        if (init == null) {
            return r;
        }
        if (!initFromFile()) {
            return r.withInit(Initializer.parse(init));
        }
        Path file = Path.of(init);
        if (!Files.exists(file) || Files.isDirectory(file)) { // a pipe, <(cat m.json), is read as a file is
            throw UserError.badValue("--init", init, "is neither " + String.join(", ", Initializer.NAMES)
                    + " nor an existing model file");
        }
        if (WeightsInit.names(init)) { // weights for the network of --layers and --activation
            return r.withGivenParameters(WeightsInit.describe(init));
        }
        if (layers != null || activation != null) {
            throw new UserError("--init " + init + ": the model file fixes the layers and activation; "
                    + "leave out --layers and --activation");
        }
        return r.withGivenParameters("model file " + Terminal.escape(init));
    }

    /**
     * {@code recipe} with the shape of the data's rows as images, for convolutions and pooling:
     * --input-shape, else {@code fromData} (an IDX directory's 1xHxW), checked against the features;
     * a recipe of dense layers alone as it is.
     */
    Recipe withImageShape(Recipe recipe, Dataset data, Shape fromData) {
        if (!recipe.hasImageLayers() || initFromFile() && !WeightsInit.names(init)) {
            return recipe;
        }
        Shape shape = recipe.inputShape() != null ? recipe.inputShape() : fromData;
        if (shape == null) {
            throw new UserError("--layers " + Terminal.escape(layers) + ": convolutions and pooling need images; give "
                    + "the shape of a row with --input-shape C,H,W (the data has " + data.featureCount()
                    + " features a row)");
        }
        if (shape.size() != data.featureCount()) {
            throw new UserError((inputShape != null ? "--input-shape " + Terminal.escape(inputShape)
                    : "--data: images of " + shape) + ": " + shape + " is " + shape.size() + " values a row, but the "
                    + "data has " + data.featureCount() + " features");
        }
        return recipe.withInputShape(shape);
    }

    /**
     * The network of {@code recipe} for the data, initialised, or the model file's, checked against
     * the data: its input width must match the features and its outputs the classes.
     */
    Model model(Dataset dataset, Recipe recipe) {
        if (initFromFile() && WeightsInit.names(init)) { // the recipe's layers, their parameters from the file
            Network network = fitted(() -> recipe.build(dataset.featureCount(), dataset.classCount()));
            return new Model(WeightsInit.load(network, Path.of(init)), dataset.classNames(), Map.of());
        }
        if (initFromFile()) {
            Model m = initModel();
            check("--init", Path.of(init), m, dataset);
            return new Model(recipe.withDropoutLayers(m.network()), m.classNames(), m.standardization(), m.training(),
                    m.output(), m.targetStandardization());
        }
        return new Model(fitted(() -> recipe.network(dataset)), dataset.classNames(), Map.of());
    }

    /** The network {@code build} makes of the layers; layers that do not fit their input are one line. */
    private Network fitted(java.util.function.Supplier<Network> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new UserError("--layers " + Terminal.escape(layers != null ? layers : "") + ": " + e.getMessage());
        }
    }

    /**
     * The encoding of the model file --init names (how it reads columns of categories and fills
     * missing cells), or null: none, or no model file.
     */
    dev.descent.data.Encoding encoding() {
        if (!initFromFile() || WeightsInit.names(init)) {
            return null;
        }
        return initModel().encoding();
    }

    /** The model file --init names, read once (a pipe can be read only once). */
    private Model initModel() {
        if (initModel == null) {
            initModel = readModel("--init", Path.of(init), null);
        }
        return initModel;
    }

    private Model initModel;

    /** Reads a model file for {@code flag}, checked against the data when given. */
    static Model readModel(String flag, Path file, Dataset dataset) {
        DataOptions.requireExists(flag, file);
        Model model;
        try {
            model = ModelFile.read(file);
        } catch (ModelFileException e) {
            throw new UserError(flag + ": " + e.getMessage());
        }
        check(flag, file, model, dataset);
        return model;
    }

    /** A model file's network against the data, when given: its inputs the features, its outputs the classes. */
    private static void check(String flag, Path file, Model model, Dataset dataset) {
        Network network = model.network();
        if (dataset != null && network.inputSize() != dataset.featureCount()) {
            throw new UserError(flag + ": " + file + " takes " + network.inputSize() + " inputs but the data has "
                    + dataset.featureCount() + " features");
        }
        if (dataset != null && network.outputSize() != dataset.classCount()) {
            throw new UserError(flag + ": " + file + " has " + network.outputSize() + " outputs but the data has "
                    + dataset.classCount() + " classes");
        }
    }
}
