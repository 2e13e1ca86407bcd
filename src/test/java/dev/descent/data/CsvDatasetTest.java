package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvDatasetTest {
    @TempDir
    Path dir;

    @Test
    void readsFeaturesAndNamedLabels() throws Exception {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "a,b,kind\n1,2,dog\n\n3.5,-4,cat\n0,0,dog\n");
        Dataset d = CsvDataset.read(f);
        assertEquals(List.of("cat", "dog"), d.classNames());
        assertArrayEquals(new int[] {1, 0, 1}, d.labels());
        assertArrayEquals(new double[] {1, 2, 3.5, -4, 0, 0}, d.features().data());
    }

    @Test
    void numericLabelsAreOrderedAsNumbers() throws Exception {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "x,y\n1,10\n2,9\n3,2\n");
        assertEquals(List.of("2", "9", "10"), CsvDataset.read(f).classNames());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty | '' | empty file",
        "header only | 'a,b\n' | a header but no data rows",
        "ragged | 'a,b,c\n1,2,x\n1,2\n' | :3: 2 values, but the header has 3 columns",
        "not a number | 'a,b\n1,x\nfoo,y\n' | :3:1: 'foo' is not a number",
        "NaN feature | 'a,b\nNaN,x\n' | :2:1: 'NaN' is not a finite number",
    })
    void malformedFilesNameLineAndColumn(String name, String content, String expected) throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, content.replace("\\n", "\n"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(f));
        assertEquals(true, e.getMessage().startsWith(f.toString()), e.getMessage());
        assertEquals(true, e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void seedExampleContradictionsGiveTheKnownFloorAndCeiling() {
        Contradictions c = Contradictions.of(SeedExample.dataset());
        assertEquals(2, c.groups().size());
        assertArrayEquals(new int[] {1, 8}, c.groups().get(0));
        assertArrayEquals(new int[] {4, 5}, c.groups().get(1));
        assertEquals(0.8, c.maxAccuracy(), 0.0);
        assertEquals(4 * Math.log(2), c.summedFloor(), 1e-12);
    }
}
