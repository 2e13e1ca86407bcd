import dev.descent.data.CsvDataset;
import dev.descent.data.Dataset;
import java.nio.file.Path;

/** Reads a CSV data set with its label in the column named label (Fashion-MNIST as Kaggle writes it) and prints its size: bench/csv-read.sh times it. */
public final class CsvRead {
    public static void main(String[] args) throws Exception {
        Dataset d = CsvDataset.read(Path.of(args[0]), new CsvDataset.Options(true, "label"), null);
        System.out.println(d.summary());
    }
}
