package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.TrainCommandTest.Result;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV flags through the command line: --delimiter, --ignore, --drop-missing, and --data - for standard input. */
class CsvFlagsTest {
    @TempDir
    Path dir;

    /** Two classes apart in two features, with an id column first, semicolon-separated. */
    static String data(String missingRow) {
        StringBuilder sb = new StringBuilder("\"id\";\"a\";\"b\";\"kind\"\n");
        for (int i = 0; i < 20; i++) {
            sb.append(i + 1).append(';').append(i % 2 * 4 + 0.1 * i).append(';').append(1 - i % 2).append(";\"")
                    .append(i % 2 == 0 ? "cat, small" : "dog").append("\"\n");
        }
        return sb.append(missingRow).toString();
    }

    static Result withStandardInput(String text, String... args) {
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void standardInputWithAnIdLeftOutAndARowWithMissingValuesDropped() {
        Result r = withStandardInput(data("21;;1;dog\n"), "train", "--data", "-", "--ignore", "id", "--drop-missing",
                "--epochs", "3", "--no-plot");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("standard input, semicolon-separated (detected), without id, 1 row with missing "
                + "values left out (20 samples x 2 features, 2 classes)"), r.out());
        assertTrue(r.out().contains("network    2 -> 128 relu -> 2 softmax"), r.out());
    }

    @Test
    void aGivenDelimiterAndALabelByItsQuotedName() throws Exception {
        Path f = Files.writeString(dir.resolve("d.csv"), data("").replace(';', '|'));
        Result r = run("train", "--data", f.toString(), "--delimiter", "|", "--label", "kind", "--ignore", "1",
                "--epochs", "2", "--no-plot", "--quiet");
        assertEquals(0, r.code(), r.err() + r.out());
        Result tab = run("train", "--data", Files.writeString(dir.resolve("t.tsv"), data("").replace(';', '\t')).toString(),
                "--delimiter", "tab", "--ignore", "id", "--epochs", "2", "--no-plot");
        assertEquals(0, tab.code(), tab.err() + tab.out());
        assertTrue(tab.out().contains("t.tsv, tab-separated, without id (20 samples x 2 features"), tab.out());
    }
}
