package dev.descent.examples.readme;

import dev.descent.data.CsvDataset;
import dev.descent.data.Dataset;
import dev.descent.data.Standardization;
import dev.descent.fused.FusedBackprop;
import dev.descent.init.Initializer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.network.Network;
import dev.descent.optim.Adam;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** java ClassifyCsv data.csv model.json: train on a CSV file, save the model, load it, predict. */
public class ClassifyCsv {
    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]), saved = Path.of(args[1]);
        // Header row, label in the last column, delimiter detected; leave out no column.
        Dataset all = CsvDataset.read(csv, new CsvDataset.Options(true, null, null, List.of(), false), null);

        // Hold out a fifth for validation; standardise with the training part's statistics.
        Dataset[] parts = all.splitValidation(0.2, 1);
        Standardization s = Standardization.fit(parts[0].features());
        Dataset train = parts[0].standardized(s), validation = parts[1].standardized(s);

        Network net = Network.builder(all.featureCount()).dense(16).relu().dense(all.classCount()).build();
        Initializer.HE.initialize(net, 1);
        Trainer trainer = new Trainer(new FusedBackprop(Dtype.FLOAT64), new SoftmaxCrossEntropy(Reduction.MEAN),
                new Adam(0.01), 300)
                .batchSize(16)
                .validation(validation)
                .patience(20);                           // stop after 20 epochs without a better validation loss
        History history = trainer.fit(net, train);       // and keep the best epoch's parameters
        History.Row best = history.rows().get(Math.max(0, history.restoredEpoch()));
        System.out.printf("epoch %d: validation accuracy %.1f%%%n", best.epoch(), 100 * best.validationAccuracy());

        // The model file keeps the class names and the standardisation with the parameters.
        ModelFile.write(new Model(net, all.classNames(), s, Map.of("data", csv.toString())), saved);
        Model model = ModelFile.read(saved);
        Matrix p = model.predictProbabilities(all.featureMatrix()); // raw features, standardised as trained
        for (int r = 0; r < 3; r++) {
            int c = MatrixOps.argmaxRow(p, r);
            System.out.printf("row %d: %s (p = %.3f)%n", r + 1, model.classNames().get(c), p.get(r, c));
        }
    }
}
