package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CSV as people write it: quoting, delimiters, a byte-order mark, columns left out, missing values, strict numbers. */
class CsvDialectTest {
    @TempDir
    Path dir;

    Path write(String content) throws Exception {
        return Files.writeString(dir.resolve("d.csv"), content);
    }

    static CsvDataset.Options options(String label, Character delimiter, List<String> ignore, boolean drop) {
        return new CsvDataset.Options(true, label, delimiter, ignore, drop);
    }

    @Test
    void quotedCellsFollowRfc4180() throws Exception {
        Path f = write("\"width, cm\",\"height\",\"the kind\"\n1,2,\"x, y\"\n3,\"4\",\"say \"\"z\"\"\"\n5,6,\"two\nlines\"\n");
        Dataset d = CsvDataset.read(f, options("the kind", null, List.of(), false), null);
        assertEquals(List.of("say \"z\"", "two\nlines", "x, y"), d.classNames());
        assertArrayEquals(new int[] {2, 0, 1}, d.labels());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, d.featureMatrix().data());
    }

    @Test
    void semicolonAndTabAreDetectedAndSaidInTheDescription() throws Exception {
        Dataset semicolon = CsvDataset.read(write("a;b;label\n1.5;2;x\n3;4;y\n"));
        assertArrayEquals(new double[] {1.5, 2, 3, 4}, semicolon.featureMatrix().data(), 0.0);
        assertEquals(dir.resolve("d.csv") + ", semicolon-separated (detected)", semicolon.description());
        // 1,5 is a decimal comma: refused as a number, and the message says where
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(write("a;b;label\n1,5;2;x\n")));
        assertEquals(dir.resolve("d.csv") + ":2:1: '1,5' is not a number", e.getMessage());

        Dataset tab = CsvDataset.read(write("a\tb\tlabel\n1\t2\tx\n3\t4\ty\n"));
        assertArrayEquals(new double[] {1, 2, 3, 4}, tab.featureMatrix().data(), 0.0);
        assertEquals(dir.resolve("d.csv") + ", tab-separated (detected)", tab.description());

        Dataset plain = CsvDataset.read(write("a,b,label\n1,2,x\n3,4,y\n"));
        assertEquals(dir.resolve("d.csv").toString(), plain.description());
    }

    @Test
    void aGivenDelimiterIsUsedAsItIs() throws Exception {
        Path f = write("a|b|label\n1|2|x,1\n3|4|y;2\n");
        Dataset d = CsvDataset.read(f, options(null, '|', List.of(), false), null);
        assertEquals(List.of("x,1", "y;2"), d.classNames());
        assertEquals(f + ", '|'-separated", d.description());
    }

    @Test
    void aByteOrderMarkIsSkipped() throws Exception {
        Path f = write("\uFEFFkind,a\nx,1\ny,2\n");
        Dataset d = CsvDataset.read(f, options("kind", null, List.of(), false), null);
        assertArrayEquals(new double[] {1, 2}, d.featureMatrix().data(), 0.0);
    }

    @Test
    void columnsAreLeftOutByNameOrNumber() throws Exception {
        Path f = write("id,a,b,label\n1,10,20,x\n2,30,40,y\n");
        Dataset byName = CsvDataset.read(f, options(null, null, List.of("id"), false), null);
        assertArrayEquals(new double[] {10, 20, 30, 40}, byName.featureMatrix().data(), 0.0);
        assertEquals(f + ", without id", byName.description());
        Dataset byNumber = CsvDataset.read(f, options(null, null, List.of("1", "b"), false), null);
        assertArrayEquals(new double[] {10, 30}, byNumber.featureMatrix().data(), 0.0);

        DataFormatException unknown = assertThrows(DataFormatException.class,
                () -> CsvDataset.read(f, options(null, null, List.of("ident"), false), null));
        assertEquals(f + ": no column 'ident' to leave out; the header names id, a, b, label, or give a column number "
                + "from 1 to 4", unknown.getMessage());
        DataFormatException label = assertThrows(DataFormatException.class,
                () -> CsvDataset.read(f, options("label", null, List.of("label"), false), null));
        assertEquals(f + ": the label column 'label' is also left out", label.getMessage());
        // Leaving out the last column makes the one before it the label, as for any file
        Dataset lastLeftOut = CsvDataset.read(write("a,label,note\n1,x,n\n2,y,m\n"), options(null, null, List.of("note"), false), null);
        assertEquals(List.of("x", "y"), lastLeftOut.classNames());
    }

    @Test
    void missingValuesAreCountedThenRefusedOrTheirRowsDropped() throws Exception {
        Path f = write("a,b,label\n1,2,x\n,NA,y\n3,4,x\n5,?,\n6,7,y\n");
        MissingValuesException e = assertThrows(MissingValuesException.class, () -> CsvDataset.read(f));
        assertEquals(f + ": 4 missing values in 2 rows, first at " + f + ":3:1", e.getMessage());
        assertEquals(4, e.values());
        assertEquals(2, e.rows());

        Dataset d = CsvDataset.read(f, options(null, null, List.of(), true), null);
        assertArrayEquals(new double[] {1, 2, 3, 4, 6, 7}, d.featureMatrix().data(), 0.0);
        assertArrayEquals(new int[] {0, 0, 1}, d.labels());
        assertEquals(f + ", 2 rows with missing values left out", d.description());
        // A later error still names its own line, counted from the file's start
        DataFormatException late = assertThrows(DataFormatException.class,
                () -> CsvDataset.read(write("a,b,label\n1,,x\n3,4,x\n5,z,y\n"), options(null, null, List.of(), true), null));
        assertEquals(dir.resolve("d.csv") + ":4:2: 'z' is not a number", late.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x1p3", "2f", "1d", "1\u0000", "1e", "e5", ".", "--1", "1.2.3", "1_000", "١"})
    void aCellIsADecimalNumberAndNothingElse(String cell) throws Exception {
        Path f = write("a,b,label\n1,2,x\n3," + cell + ",y\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(f));
        assertEquals(f + ":3:2: '" + cell.replace("\u0000", "\\u0000") + "' is not a number", e.getMessage());
    }

    @Test
    void decimalsWithSignsPointsAndExponentsAreNumbers() throws Exception {
        Path f = write("a,b,c,d,e,f,label\n-1.5, .5 ,3.,+2e-3,1E+2,-0,x\n1,1,1,1,1,1e400,y\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(f));
        assertEquals(f + ":3:6: '1e400' is not a finite number", e.getMessage());
        Dataset d = CsvDataset.read(write("a,b,c,d,e,f,label\n-1.5, .5 ,3.,+2e-3,1E+2,-0,x\n"));
        assertArrayEquals(new double[] {-1.5, .5, 3, 2e-3, 100, -0.0}, d.featureMatrix().data(), 0.0);
    }

    @Test
    void standardInputReadsLikeAFile() throws Exception {
        byte[] csv = "a;label\n1;x\n2;y\n".getBytes(StandardCharsets.UTF_8);
        Dataset d = CsvDataset.read(new ByteArrayInputStream(csv), "standard input", CsvDataset.Options.DEFAULT, null);
        assertEquals("standard input, semicolon-separated (detected)", d.description());
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(
                new ByteArrayInputStream("a,label\n1,x\nq,y\n".getBytes(StandardCharsets.UTF_8)), "standard input",
                CsvDataset.Options.DEFAULT, null));
        assertEquals("standard input:3:1: 'q' is not a number", e.getMessage());
    }
}
