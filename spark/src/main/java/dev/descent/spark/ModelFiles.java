package dev.descent.spark;

import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.modelfile.ModelFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The library's model file inside a saved Spark model's directory, on any Hadoop file system:
 * written and read through a local temporary file by the library's own writer and strict reader.
 */
final class ModelFiles {
    /** The library model file inside a saved model's directory. */
    static final String NAME = "descent-model.json";

    private ModelFiles() {}

    static void write(Model model, String dir, Configuration conf) {
        Path target = new Path(dir, NAME);
        try {
            java.nio.file.Path local = Files.createTempFile("descent-model", ".json");
            try {
                ModelFile.write(model, local);
                FileSystem fs = target.getFileSystem(conf);
                fs.copyFromLocalFile(false, true, new Path(local.toUri()), target);
            } finally {
                Files.deleteIfExists(local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target, e);
        }
    }

    static Model read(String dir, Configuration conf) {
        Path source = new Path(dir, NAME);
        try {
            java.nio.file.Path local = Files.createTempFile("descent-model", ".json");
            try {
                source.getFileSystem(conf).copyToLocalFile(false, source, new Path(local.toUri()), true);
                return ModelFile.read(local);
            } finally {
                Files.deleteIfExists(local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + source, e);
        } catch (ModelFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
