package dev.descent.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.descent.modelfile.ModelFile;
import dev.descent.network.Network;
import dev.descent.tensor.NativeProducts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numbers of a run do not depend on the environment: the same run in processes whose
 * {@code OPENBLAS_NUM_THREADS} is unset, 1 and 2 saves bit for bit the same parameters (OpenBLAS's
 * own threads would change the last bits of its products; Descent sets them to one).
 */
class EnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void theSameRunGivesTheSameParametersWhateverOpenBlasNumThreadsSays() throws Exception {
        assumeTrue(NativeProducts.available(), "no native BLAS here: the Java kernels have no threads of their own");
        Path csv = dir.resolve("wide.csv");
        Random rng = new Random(4);
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < 60; j++) {
            text.append('f').append(j).append(',');
        }
        text.append("label\n");
        for (int i = 0; i < 1200; i++) {
            int c = i % 4;
            for (int j = 0; j < 60; j++) {
                text.append(rng.nextGaussian() + (j % 4 == c ? 1 : 0)).append(',');
            }
            text.append(c).append('\n');
        }
        Files.writeString(csv, text, StandardCharsets.UTF_8);
        Network unset = train(csv, null), one = train(csv, "1"), two = train(csv, "2");
        for (int i = 0; i < one.parameters().size(); i++) {
            String name = one.parameters().get(i).name();
            assertArrayEquals(one.parameters().get(i).value().data(), unset.parameters().get(i).value().data(), name);
            assertArrayEquals(one.parameters().get(i).value().data(), two.parameters().get(i).value().data(), name);
        }
    }

    /** descent train on {@code csv} in a process of its own, with OPENBLAS_NUM_THREADS as given (null: unset). */
    private Network train(Path csv, String threads) throws Exception {
        Path model = dir.resolve("m-" + threads + ".json");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.descent.cli.Main", "train", "--data", csv.toString(),
                "--layers", "256", "--batch", "200", "--epochs", "2", "--no-plot", "--quiet", "--save", model.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (threads == null) {
            pb.environment().remove("OPENBLAS_NUM_THREADS");
        } else {
            pb.environment().put("OPENBLAS_NUM_THREADS", threads);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        return ModelFile.read(model).network();
    }
}
