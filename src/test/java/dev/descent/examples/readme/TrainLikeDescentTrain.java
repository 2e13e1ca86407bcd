package dev.descent.examples.readme;

import dev.descent.data.CsvDataset;
import dev.descent.data.Dataset;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.train.History;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** java TrainLikeDescentTrain data.csv: what descent train --data data.csv --layers 64 --optimizer adam trains. */
public class TrainLikeDescentTrain {
    public static void main(String[] args) throws Exception {
        Dataset data = CsvDataset.read(Path.of(args[0]), new CsvDataset.Options(true, null, null, List.of(), false), null);
        Recipe recipe = Recipe.forData()                  // every default of descent train --data
                .withLayers(64).withOptimizer("adam");      // and the two flags
        Network network = recipe.network(data);          // He's initialisation, seed 1, as the command line draws it
        History history = recipe.trainer(data).fit(network, data);

        System.out.printf(Locale.ROOT, "loss %.4f -> %.4f, training accuracy %.1f%%%n", history.first().loss(),
                history.last().loss(), 100 * history.last().accuracy());
        System.out.println(recipe.provenance());         // what a model file of this run records of it
    }
}
