package dev.descent.cli;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.descent.data.Batches;
import dev.descent.data.CsvDataset;
import dev.descent.data.DataFormatException;
import dev.descent.data.Features;
import dev.descent.data.IdxDataset;
import dev.descent.io.AtomicFiles;
import dev.descent.io.PathRules;
import dev.descent.io.Terminal;
import dev.descent.modelfile.Model;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code descent predict}: the class and class probabilities of every row, or a regression model's values. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict with a saved model: for every row, the most probable class and the probability of "
                + "each class, as CSV. Features are standardised as the model was trained, and class names restored. "
                + "A regression model writes each target's predicted value, in the targets' own units.",
                "A CSV file may have the model's features alone, or with a label column (a regression model's target "
                        + "columns, named by --label where there are several), which is ignored; an IDX "
                        + "directory is read from its t10k images."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:predicted", "2:bad options or input",
                "74:the predictions could not be written (disk full, standard output closed)"})
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model, saved by train --save.")
    Path modelFile;

    @Mixin
    DataOptions data;

    @Option(names = "--out", paramLabel = "FILE.csv",
            description = "Write the predictions here; - or absent: standard output.")
    Path outFile;

    @Override
    public Integer call() {
        if (data.data == null) {
            throw new UserError("--data: give the rows to predict, a CSV file or an IDX directory");
        }
        if (PathRules.isStandardStream(outFile)) {
            outFile = null;
        }
        PathRules paths = new PathRules().input("--model", modelFile);
        data.inputs(paths, "--data", data.data);
        Outputs.distinct(paths.output("--out", outFile));
        data.columns.refuseForModel();
        Model model = ModelOptions.readModel("--model", modelFile, null);
        // every row is read, and every category checked, before a byte of the predictions is written
        Features x = features(model, model.isRegression() ? model.classNames().size() : 1);
        if (outFile == null) {
            PrintWriter out = spec.commandLine().getOut();
            try {
                write(model, x, out);
            } catch (IOException e) {
                throw new WriteFailure("--out", "the predictions are");
            }
            out.flush();
        } else {
            try {
                AtomicFiles.write(outFile, (OutputStream stream) -> {
                    Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                    write(model, x, w);
                    w.flush();
                });
            } catch (IOException e) {
                throw new WriteFailure("--out", outFile, e);
            }
            spec.commandLine().getErr().println("predictions for " + x.rows() + " rows: " + Terminal.escape(outFile.toString()));
        }
        return 0;
    }

    /**
     * The rows to predict, as the model's inputs: an IDX directory's t10k images, or a CSV file's
     * rows read and encoded by the model's encoding (a category it was not trained on refused at
     * its cell, or all zeros and counted with --unknown-category ignore).
     *
     * @param labels the label columns a CSV row may also hold: a regression model's targets, or one
     */
    private Features features(Model model, int labels) {
        if (!StandardStreams.isDash(data.data)) {
            DataOptions.requireExists("--data", data.data);
            if (Files.isDirectory(data.data)) {
                try {
                    return IdxDataset.test(data.data).features();
                } catch (DataFormatException e) {
                    throw DataOptions.error("--data", e);
                }
            }
        }
        CsvDataset.FeatureTable t = data.featureTable("--data", data.data, model.network().inputSize(), labels,
                model.encoding());
        if (t.columns() != null && t.columns().unknown() > 0) {
            spec.commandLine().getErr().println("--unknown-category ignore: " + t.columns().unknown() + " cell"
                    + (t.columns().unknown() == 1 ? "" : "s") + " of categories the model was not trained on, "
                    + "encoded as all zeros");
        }
        return Features.of(t.encoded(model.encoding()));
    }

    /** {@code row,<target>...}: each row's predicted values in the targets' own units. */
    private static void writeValues(Model model, Features x, Writer w) throws IOException {
        CsvWriter csv = csv(w);
        CsvWriter.CsvWriterRecord header = csv.writeRecord().writeField("row");
        for (String t : model.classNames()) {
            header.writeField(t);
        }
        header.endRecord();
        writeBatches(x, rows(model), csv, w, (from, batch) -> {
            Matrix y = model.predictValues(batch); // standardised as in training, targets in their own units
            Overflows.refuse(y, batch.rows(), from);
            for (int r = 0; r < batch.rows(); r++) {
                CsvWriter.CsvWriterRecord row = csv.writeRecord().writeField(Integer.toString(from + r + 1));
                for (int c = 0; c < y.cols(); c++) {
                    row.writeField(Double.toString(y.get(r, c)));
                }
                row.endRecord();
            }
        });
    }

    private static void write(Model model, Features x, Writer w) throws IOException {
        List<String> classes = model.classNames();
        if (x.cols() != model.network().inputSize()) {
            throw new UserError("--data: " + x.cols() + " features but the model takes " + model.network().inputSize());
        }
        if (model.isRegression()) {
            writeValues(model, x, w);
            return;
        }
        CsvWriter csv = csv(w);
        CsvWriter.CsvWriterRecord header = csv.writeRecord().writeField("row").writeField("class");
        for (String c : classes) {
            header.writeField("p_" + c);
        }
        header.endRecord();
        writeBatches(x, rows(model), csv, w, (from, batch) -> {
            Matrix p = model.predictProbabilities(batch); // standardised as in training
            Overflows.refuse(p, batch.rows(), from);
            for (int r = 0; r < batch.rows(); r++) {
                CsvWriter.CsvWriterRecord row = csv.writeRecord().writeField(Integer.toString(from + r + 1))
                        .writeField(classes.get(MatrixOps.argmaxRow(p, r)));
                for (int c = 0; c < p.cols(); c++) {
                    row.writeField(Double.toString(p.get(r, c)));
                }
                row.endRecord();
            }
        });
    }

    /**
     * The predictions' CSV, by FastCSV's writer (RFC 4180): a class or target name that holds the
     * delimiter, a quote or a line break is quoted, so every record stays one row for a reader.
     * Lines end in a line feed, as the files Descent reads usually do.
     */
    private static CsvWriter csv(Writer w) {
        return CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(w);
    }

    /** The records of one batch of rows, from row {@code from}, written to the CSV writer. */
    private interface BatchRecords {
        void write(int from, Matrix batch);
    }

    /** Rows per batch: a thousand, or {@link Network#IMAGES_AT_ONCE} for a network of images. */
    private static int rows(Model model) {
        return model.network().inputShape() != null ? Network.IMAGES_AT_ONCE : 1000;
    }

    /**
     * Writes the records of each batch of {@code rows} rows of {@code x}, in order, flushing after
     * each; the first write that fails (standard output's included, which a PrintWriter reports
     * only when asked) is thrown, and nothing after it is computed.
     */
    private static void writeBatches(Features x, int rows, CsvWriter csv, Writer w, BatchRecords records)
            throws IOException {
        IOException[] failure = {null};
        Batches.inOrder(x, rows, (from, batch) -> {
            if (failure[0] != null) {
                return;
            }
            try {
                records.write(from, batch);
                csv.flush();
                if (w instanceof PrintWriter print && print.checkError()) {
                    throw new IOException("standard output could not be written (a full disk, or closed?)");
                }
            } catch (UncheckedIOException e) {
                failure[0] = e.getCause();
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        csv.flush();
    }
}
