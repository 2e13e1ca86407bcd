package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.modelfile.ModelFile;
import dev.descent.tensor.Matrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up before training changes nothing the run computes: the model ends bit for bit as without it. */
class KernelWarmUpTest {
    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        KernelWarmUp.finishFirst = false;
        System.clearProperty(KernelWarmUp.PROPERTY);
    }

    @Test
    void aRunWarmedUpEndsExactlyAsOneThatWasNot() throws Exception {
        Path data = dir.resolve("d.csv");
        StringBuilder csv = new StringBuilder("a,b,c,d,label\n");
        Random rng = new Random(3);
        for (int i = 0; i < 1000; i++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%s%n", a, b, rng.nextGaussian(),
                    rng.nextGaussian(), a + b > 0.5 ? "x" : a > b ? "y" : "z"));
        }
        Files.writeString(data, csv);
        for (String dtype : List.of("float32", "float64")) {
            for (String optimizer : List.of("sgd", "adam")) {
                Path warmed = dir.resolve("w-" + dtype + optimizer + ".json"),
                        plain = dir.resolve("p-" + dtype + optimizer + ".json");
                KernelWarmUp.finishFirst = true;
                KernelWarmUp.lastSteps = 0;
                train(data, dtype, optimizer, warmed);
                assertEquals(KernelWarmUp.MAX_STEPS, KernelWarmUp.lastSteps, "the warm-up took all its steps");
                KernelWarmUp.finishFirst = false;
                System.setProperty(KernelWarmUp.PROPERTY, "false");
                KernelWarmUp.lastSteps = 0;
                train(data, dtype, optimizer, plain);
                assertEquals(0, KernelWarmUp.lastSteps, "no warm-up");
                System.clearProperty(KernelWarmUp.PROPERTY);

                List<Matrix> a = ModelFile.read(warmed).network().snapshot(),
                        b = ModelFile.read(plain).network().snapshot();
                for (int i = 0; i < a.size(); i++) {
                    assertArrayEquals(b.get(i).data(), a.get(i).data(), dtype + " " + optimizer + " tensor " + i);
                }
            }
        }
    }

    private static void train(Path data, String dtype, String optimizer, Path model) {
        TrainCommandTest.Result r = TrainCommandTest.run("train", "--data", data.toString(), "--epochs", "3",
                "--batch", "32", "--layers", "16", "--dtype", dtype, "--optimizer", optimizer, "--lr",
                optimizer.equals("adam") ? "0.01" : "0.1", "--no-plot", "--quiet", "--save", model.toString());
        assertEquals(0, r.code(), r.err());
    }
}
