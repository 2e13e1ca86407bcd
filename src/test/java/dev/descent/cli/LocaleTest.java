package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a command prints for a person or a script does not follow the JVM's locale: under a German
 * one (decimal commas), every number still has a decimal point, and the output is what it is
 * under {@link Locale#ROOT}, but for the times measured.
 */
class LocaleTest {
    /**
     * Digits, a comma, digits: a German decimal (no number Descent prints groups its thousands with a
     * comma); but not the interval [0,1).
     */
    private static final Pattern DECIMAL_COMMA = Pattern.compile("(?<![\\[\\d])\\d+,\\d+(?![\\d)])");
    /** Seconds measured, which differ from run to run: {@code in 0.06 s}. */
    private static final Pattern SECONDS = Pattern.compile("\\d+\\.\\d+ s\\b|\"seconds\" ?: ?[0-9.eE-]+");

    @TempDir
    Path dir;

    private final Locale before = Locale.getDefault();

    @AfterEach
    void restore() {
        Locale.setDefault(before);
    }

    @Test
    void theSeedExampleTrainsAndIsDiagnosedWithDecimalPoints() {
        same("train", "--no-plot");
        same("doctor");
        same("gradcheck");
    }

    @Test
    void aRegressionRunWithHeldOutDataPrintsDecimalPointsInTextAndJson() throws Exception {
        Path csv = dir.resolve("line.csv"), model = dir.resolve("m.json");
        StringBuilder text = new StringBuilder("x1,x2,y\n");
        Random rng = new Random(3);
        for (int i = 0; i < 120; i++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian();
            text.append(a).append(',').append(b).append(',').append(2.5 * a - b + 0.1 * rng.nextGaussian()).append('\n');
        }
        Files.writeString(csv, text);
        String[] train = {"train", "--data", csv.toString(), "--task", "regression", "--epochs", "5", "--lr", "0.01",
                "--validation-split", "0.2", "--test", csv.toString(), "--no-plot", "--save", model.toString()};
        same(train);
        same(with(train, "--json"));
        same("evaluate", "--model", model.toString(), "--data", csv.toString(), "--task", "regression", "--no-plot");
    }

    /** Runs {@code args} under the root locale and under a German one: the same output, and no decimal comma. */
    private void same(String... args) {
        String root = run(Locale.ROOT, args), german = run(Locale.GERMANY, args);
        assertFalse(DECIMAL_COMMA.matcher(german).find(), "a decimal comma in " + german);
        assertEquals(SECONDS.matcher(root).replaceAll("T"), SECONDS.matcher(german).replaceAll("T"));
    }

    private static String run(Locale locale, String... args) {
        Locale.setDefault(locale);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        return out + "\n" + err;
    }

    private static String[] with(String[] args, String extra) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(extra);
        return all.toArray(String[]::new);
    }
}
