package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.cli.TrainCommandTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The doctor on real Fashion-MNIST (Debian's dataset-fashion-mnist, which .ci/run installs; skipped
 * without it on a developer's machine, a failure in CI): at lr 5 the ReLU layer dies in the first
 * epoch, and the first try line the doctor prints must train, as descent train runs it, to more
 * than 80% test accuracy.
 */
class DoctorFashionMnistTest {
    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    @BeforeAll
    static void requireTheDataSet() {
        if (!Files.isDirectory(DIR)) {
            if ("true".equals(System.getenv("CI"))) {
                fail(DIR + " is missing: .ci/run must install dataset-fashion-mnist");
            }
            Assumptions.abort("apt-get install dataset-fashion-mnist to run this test");
        }
    }

    @Test
    void atLearningRate5TheFirstTryLineTrainsAbove80PercentTestAccuracy() {
        Result r = run("doctor", "--data", DIR.toString(), "--lr", "5");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("problem: the network's output no longer depends on its input: a whole ReLU layer "
                + "is dead"), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("problem:")).count(), r.out()); // nothing learned: its evidence
        assertTrue(r.out().contains("nothing learned holds for rows it did not train on: test accuracy 10.0%"), r.out());
        assertFalse(r.out().contains("shuffled apart"), r.out());
        String line = r.out().lines().filter(l -> l.startsWith("try:")).findFirst().orElseThrow(
                () -> new AssertionError("no try line in\n" + r.out()));
        assertTrue(line.startsWith("try:     descent train --data " + DIR + " --lr "), line);

        List<String> args = new ArrayList<>(List.of("train"));
        String[] words = line.substring(4).strip().split(" ");
        args.addAll(List.of(words).subList(2, words.length));
        args.add("--no-plot");
        Result trained = run(args.toArray(String[]::new));
        assertEquals(0, trained.code(), trained.out() + trained.err());
        Matcher m = Pattern.compile("test accuracy (\\d+\\.\\d+)%").matcher(trained.out());
        assertTrue(m.find(), trained.out());
        assertTrue(Double.parseDouble(m.group(1)) > 80, line + "\n" + trained.out());
    }
}
