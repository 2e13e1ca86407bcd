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
        assertArrayEquals(new double[] {1, 2, 3.5, -4, 0, 0}, d.featureMatrix().data());
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
    void labelColumnByNameOrNumberAndNoHeader() throws Exception {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "kind,a,b\ndog,1,2\ncat,3,4\n");
        Dataset byName = CsvDataset.read(f, new CsvDataset.Options(true, "kind"), null);
        assertArrayEquals(new double[] {1, 2, 3, 4}, byName.featureMatrix().data());
        assertArrayEquals(new int[] {1, 0}, byName.labels());
        Dataset byNumber = CsvDataset.read(f, new CsvDataset.Options(true, "1"), null);
        assertArrayEquals(byName.labels(), byNumber.labels());

        Path g = dir.resolve("g.csv");
        Files.writeString(g, "1,2,x\n3,4,y\n");
        Dataset noHeader = CsvDataset.read(g, new CsvDataset.Options(false, null), null);
        assertEquals(2, noHeader.size());
        assertEquals(List.of("x", "y"), noHeader.classNames());
    }

    @Test
    void unknownLabelColumnListsTheHeader() throws Exception {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "a,b\n1,x\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvDataset.read(f, new CsvDataset.Options(true, "species"), null));
        assertEquals(f + ": no label column 'species'; the header names a, b, or give a column number from 1 to 2",
                e.getMessage());
    }

    @Test
    void aTestSetIsNumberedByTheModelsClassesAndUnknownLabelsAreRefused() throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "a,label\n1,dog\n2,cat\n");
        Dataset t = CsvDataset.read(f, CsvDataset.Options.DEFAULT, List.of("dog", "cat"));
        assertArrayEquals(new int[] {0, 1}, t.labels());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvDataset.read(f, CsvDataset.Options.DEFAULT, List.of("dog", "bird")));
        assertEquals(f + ":3:2: label 'cat' is not one of the model's classes [dog, bird]", e.getMessage());
    }

    @Test
    void featuresForPredictionWithOrWithoutTheLabelColumn() throws Exception {
        Path f = dir.resolve("p.csv");
        Files.writeString(f, "a,b,label\n1,2,x\n");
        assertArrayEquals(new double[] {1, 2}, CsvDataset.readFeatures(f, CsvDataset.Options.DEFAULT, 2).data());
        Path g = dir.resolve("q.csv");
        Files.writeString(g, "a,b\n1,2\n");
        assertArrayEquals(new double[] {1, 2}, CsvDataset.readFeatures(g, CsvDataset.Options.DEFAULT, 2).data());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvDataset.readFeatures(g, CsvDataset.Options.DEFAULT, 5));
        assertEquals(g + ": 2 columns, but the model takes 5 features (give 5 columns, or 6 with a label)", e.getMessage());
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
