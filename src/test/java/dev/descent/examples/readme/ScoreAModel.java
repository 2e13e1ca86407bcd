package dev.descent.examples.readme;

import dev.descent.data.CsvDataset;
import dev.descent.data.Dataset;
import dev.descent.metrics.ConfusionMatrix;
import dev.descent.metrics.Scores;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import java.nio.file.Path;
import java.util.List;

/** java ScoreAModel model.json data.csv: a saved model's scores and predictions, as descent evaluate gives them. */
public class ScoreAModel {
    public static void main(String[] args) throws Exception {
        Model model = ModelFile.read(Path.of(args[0]));
        // Raw features as the file holds them; the labels numbered as the model numbers its classes.
        Dataset data = CsvDataset.read(Path.of(args[1]), new CsvDataset.Options(true, null, null, List.of(), false),
                model.classNames());

        Scores.Classes scores = (Scores.Classes) model.evaluate(data); // standardised as the model was trained
        ConfusionMatrix m = scores.confusion();
        System.out.println("accuracy " + scores.accuracy() + ", macro F1 " + m.macro(m::f1)
                + ", weighted F1 " + m.weighted(m::f1));
        for (int c = 0; c < m.classes().size(); c++) {
            System.out.println(m.classes().get(c) + ": precision " + m.precision(c) + ", recall " + m.recall(c)
                    + ", F1 " + m.f1(c) + ", support " + m.support(c));
        }
        System.out.println("first rows: " + model.predictClasses(data.head(3).featureMatrix()));
    }
}
