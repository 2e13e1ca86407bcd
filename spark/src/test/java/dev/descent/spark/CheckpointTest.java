package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.checkpoint.CheckpointFile;
import dev.descent.network.Network;
import dev.descent.train.History;
import dev.descent.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listeners see what the library's trainer shows them; a fit continued from a checkpoint ends as an uninterrupted one. */
class CheckpointTest {
    static DescentClassifier classifier(int epochs) {
        return new DescentClassifier().setLayers(8).setOptimizer("adam").setLearningRate(0.01).setBatchSize(40)
                .setEpochs(epochs).setValidationFraction(0.2).setSeed(3);
    }

    @Test
    void aResumedFitEndsAsTheUninterruptedOne(@TempDir Path dir) {
        Dataset<Row> df = TestSpark.blobs(300, 4, 3, 2, 31);
        DescentClassificationModel whole = classifier(4).fit(df);

        String checkpoints = dir.resolve("run").toString();
        classifier(2).setCheckpointDir(checkpoints).fit(df);
        assertTrue(Files.exists(CheckpointFile.in(dir.resolve("run"))));
        DescentClassificationModel resumed = classifier(4).setCheckpointDir(checkpoints).fit(df);

        assertArrayEquals(Theta.read(whole.model().network()), Theta.read(resumed.model().network()));
        assertEquals(5, resumed.history().rows().size());
        for (int e = 0; e < 5; e++) {
            History.Row a = whole.history().rows().get(e), b = resumed.history().rows().get(e);
            assertEquals(a.loss(), b.loss());
            assertEquals(a.validationLoss(), b.validationLoss());
        }

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> classifier(4).setLearningRate(0.02).setCheckpointDir(checkpoints).fit(df));
        assertTrue(other.getMessage().contains("other settings"), other.getMessage());
    }

    @Test
    void aCheckpointOnAnotherHadoopFileSystemIsWrittenAtomicallyAndResumed(@TempDir Path dir) throws Exception {
        OtherFileSystem.register(TestSpark.sc().hadoopConfiguration());
        Dataset<Row> df = TestSpark.blobs(300, 4, 3, 2, 31);
        DescentClassificationModel whole = classifier(3).fit(df);
        String uri = OtherFileSystem.SCHEME + "://" + dir.resolve("on-other").toAbsolutePath();
        classifier(1).setCheckpointDir(uri).fit(df);
        DescentClassificationModel resumed = classifier(3).setCheckpointDir(uri).fit(df);
        assertArrayEquals(Theta.read(whole.model().network()), Theta.read(resumed.model().network()));
        try (var files = Files.list(dir.resolve("on-other"))) {
            assertEquals(List.of(CheckpointFile.NAME), files.map(p -> p.getFileName().toString()).toList(),
                    "the checkpoint alone: no temporary file or probe left");
        }
        String file = "file://" + dir.resolve("on-file").toAbsolutePath();
        classifier(1).setCheckpointDir(file).fit(df);
        assertTrue(Files.exists(CheckpointFile.in(dir.resolve("on-file"))));
    }

    @Test
    void aDirectoryDescentCannotWriteIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        Dataset<Row> df = TestSpark.blobs(60, 4, 3, 2, 33);
        List<String> epochs = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStart(Network network, int epochs0, History.Row initial) {
                epochs.add("start");
            }
        };
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> classifier(2).setCheckpointDir("nosuchfs://bucket/run").addListener(listener).fit(df));
        assertEquals("checkpointDir nosuchfs://bucket/run: Descent cannot write there (No FileSystem for scheme "
                + "\"nosuchfs\"): put the Hadoop connector of that scheme on the class path (hadoop-aws for s3a://), "
                + "or give a path on the cluster's file system", scheme.getMessage());
        Path readOnly = dir.resolve("read-only");
        Files.createDirectories(readOnly);
        assertTrue(readOnly.toFile().setWritable(false));
        String below = readOnly.resolve("run").toString();
        if (!Files.isWritable(readOnly)) { // root writes anywhere
            IllegalArgumentException denied = assertThrows(IllegalArgumentException.class,
                    () -> classifier(2).setCheckpointDir(below).addListener(listener).fit(df));
            assertTrue(denied.getMessage().startsWith("checkpointDir " + below + ": Descent cannot write there ("),
                    denied.getMessage());
        }
        assertEquals(List.of(), epochs, "nothing trained");
    }

    @Test
    void listenersSeeEveryEpochWithItsHeldOutLossAndEarlyStoppingKeepsTheBest() {
        List<String> seen = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onStart(Network network, int epochs, History.Row initial) {
                seen.add("start " + epochs + " " + initial.hasValidation());
            }

            @Override
            public void onEpoch(History.Row row) {
                seen.add("epoch " + row.epoch() + " " + row.hasValidation());
            }

            @Override
            public void onEnd(History history) {
                seen.add("end " + history.rows().size());
            }
        };
        Dataset<Row> df = TestSpark.blobs(300, 4, 3, 2, 32);
        // A learning rate far too large: the held-out loss stops improving soon.
        DescentClassificationModel model = classifier(30).setOptimizer("sgd").setLearningRate(5).setPatience(2)
                .addListener(recorder).fit(df);
        History h = model.history();
        assertTrue(h.stopReason() != null && h.stopReason().startsWith("early stopping"), h.stopReason());
        assertEquals("start 30 true", seen.get(0));
        assertEquals("epoch 1 true", seen.get(1));
        assertEquals("end " + h.rows().size(), seen.get(seen.size() - 1));
        assertEquals(h.rows().size() - 1 + 2, seen.size());
        double best = h.rows().stream().mapToDouble(History.Row::validationLoss).min().orElseThrow();
        assertEquals(best, h.rows().get(h.restoredEpoch()).validationLoss());
    }
}
