package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Columns of categories: detected, named, fitted on training rows, encoded, read again by the encoding. */
class CategoricalCsvTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static CsvDataset.Options options(List<String> categorical, boolean impute) {
        return new CsvDataset.Options(true, null, null, List.of(), false, categorical, impute, null, false);
    }

    @Test
    void aColumnOfWordsIsOneHotEncodedInSortedOrder() throws Exception {
        Path f = write("d.csv", "age,city,label\n30,Paris,a\n40,Lyon,b\n50,Paris,b\n60,Nice,a\n");
        CsvDataset.Table t = CsvDataset.readTable(f, CsvDataset.Options.DEFAULT, null);
        assertEquals(List.of("age", "city"), t.columns().names());
        assertNull(t.columns().categories().get(0));
        assertEquals(List.of("Paris", "Lyon", "Nice"), t.columns().categories().get(1), "first seen order");
        Encoding e = Encoding.fit(t.rows().features(), t.columns(), Encoding.Impute.NONE, 1);
        assertEquals(List.of("age", "city=Lyon", "city=Nice", "city=Paris"), e.featureNames());
        assertArrayEquals(new double[] {30, 0, 0, 1, 40, 1, 0, 0, 50, 0, 0, 1, 60, 0, 1, 0},
                t.encoded(e).featureMatrix().data());
        assertEquals(List.of("city: 3 categories -> 3 columns"), e.describe(1, Encoding.Impute.NONE));
        // a plain numeric file has no raw columns, and reads as before
        assertNull(CsvDataset.readTable(write("n.csv", "a,b,label\n1,2,x\n3,4,y\n"), CsvDataset.Options.DEFAULT,
                null).columns());
    }

    @Test
    void aColumnOfNumbersAndWordsIsRefusedAtTheWordWithTheFlagThatReadsIt() throws Exception {
        Path late = write("late.csv", "a,b,label\n1,2,x\n3,four,y\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvDataset.readTable(late, CsvDataset.Options.DEFAULT, null));
        assertEquals(late + ":3:2: 'four' is not a number, and column 'b' holds numbers (first at " + late
                + ":2:2 '2'); if its cells are categories, name it with --categorical b", e.getMessage());
        Path early = write("early.csv", "a,size,label\n1,S,x\n3,10,y\n");
        e = assertThrows(DataFormatException.class, () -> CsvDataset.readTable(early, CsvDataset.Options.DEFAULT, null));
        assertTrue(e.getMessage().startsWith(early + ":3:2: '10' is a number in column 'size', whose cells above are "
                + "words (first at " + early + ":2:2 'S'); name it with --categorical size"), e.getMessage());
        // named, every cell is a category
        CsvDataset.Table t = CsvDataset.readTable(early, options(List.of("size"), false), null);
        assertEquals(List.of("S", "10"), t.columns().categories().get(1));
        // a number mistyped is still told as a number's mistake, not taken for a word
        Path typo = write("typo.csv", "a,b,label\n1,2f,x\n3,4,y\n");
        assertEquals(typo + ":2:2: '2f' is not a number", assertThrows(DataFormatException.class,
                () -> CsvDataset.readTable(typo, CsvDataset.Options.DEFAULT, null)).getMessage());
        Path comma = write("comma.csv", "a;b;label\n1,5;2;x\n");
        assertEquals(comma + ":2:1: '1,5' is not a number", assertThrows(DataFormatException.class,
                () -> CsvDataset.readTable(comma, CsvDataset.Options.DEFAULT, null)).getMessage());
    }

    @Test
    void integerCodesNamedCategoricalSortAsNumbers() throws Exception {
        Path f = write("d.csv", "x,code,label\n1,10,a\n2,9,b\n3,10,b\n");
        CsvDataset.Table t = CsvDataset.readTable(f, options(List.of("2"), false), null);
        Encoding e = Encoding.fit(t.rows().features(), t.columns(), Encoding.Impute.NONE, 1);
        assertEquals(List.of("x", "code=9", "code=10"), e.featureNames());
        DataFormatException empty = assertThrows(DataFormatException.class,
                () -> CsvDataset.readTable(f, options(List.of("label"), false), null));
        assertEquals(f + ": column 'label' is the label, not a feature to read as categories", empty.getMessage());
    }

    @Test
    void rareCategoriesShareOtherAndMissingCellsAreImputed() throws Exception {
        Path f = write("d.csv", "n,c,label\n1,a,x\n,a,y\n3,b,x\n5,,y\nNA,a,x\n7,c,y\n");
        CsvDataset.Table t = CsvDataset.readTable(f, options(List.of(), true), null);
        Encoding median = Encoding.fit(t.rows().features(), t.columns(), Encoding.Impute.MEDIAN, 2);
        assertEquals(List.of("n", "c=a", "c=(other)", "c=(missing)"), median.featureNames());
        assertEquals(4.0, median.columns().get(0).fill(), "the median of 1, 3, 5, 7");
        assertEquals(List.of("b", "c"), median.columns().get(1).other());
        assertArrayEquals(new double[] {
            1, 1, 0, 0,
            4, 1, 0, 0,
            3, 0, 1, 0,
            5, 0, 0, 1,
            4, 1, 0, 0,
            7, 0, 1, 0}, t.encoded(median).featureMatrix().data());
        Encoding mean = Encoding.fit(t.rows().features(), t.columns(), Encoding.Impute.MEAN, 1);
        assertEquals(4.0, mean.columns().get(0).fill());
        // without --impute, the missing cells are refused as before
        assertThrows(MissingValuesException.class, () -> CsvDataset.readTable(f, CsvDataset.Options.DEFAULT, null));
        Path empty = write("e.csv", "n,c,label\n,a,x\nNA,b,y\n");
        CsvDataset.Table none = CsvDataset.readTable(empty, options(List.of(), true), null);
        assertEquals("column 'n' has no value in the training split to impute its missing cells from",
                assertThrows(IllegalArgumentException.class,
                        () -> Encoding.fit(none.rows().features(), none.columns(), Encoding.Impute.MEAN, 1)).getMessage());
    }

    /** A file read by a model's encoding: its categories by name, an unknown one refused at its cell or let through. */
    @Test
    void aFileReadByAnEncodingRefusesOrCountsUnknownCategories() throws Exception {
        Path train = write("train.csv", "age,city,label\n30,Paris,a\n40,Lyon,b\n");
        CsvDataset.Table t = CsvDataset.readTable(train, CsvDataset.Options.DEFAULT, null);
        Encoding e = Encoding.fit(t.rows().features(), t.columns(), Encoding.Impute.NONE, 1);
        Path test = write("test.csv", "age,city,label\n35,Lyon,a\n45,Nice,b\n");
        CsvDataset.Options byModel = CsvDataset.Options.DEFAULT.withEncoding(e, false);
        DataFormatException refused = assertThrows(DataFormatException.class,
                () -> CsvDataset.read(test, byModel, List.of("a", "b")));
        assertEquals(test + ":3:2: 'Nice' is not one of the 2 categories of 'city' the model was trained on; "
                + "--unknown-category ignore encodes it as all zeros", refused.getMessage());
        Dataset ignored = CsvDataset.read(test, CsvDataset.Options.DEFAULT.withEncoding(e, true), List.of("a", "b"));
        assertArrayEquals(new double[] {35, 1, 0, 45, 0, 0}, ignored.featureMatrix().data());
        assertTrue(ignored.description().endsWith("1 cell of categories unseen in training as all zeros"),
                ignored.description());
        // prediction rows, with or without the label column; a column of another name is refused
        Path rows = write("rows.csv", "age,city\n50,Paris\n");
        assertArrayEquals(new double[] {50, 0, 1}, CsvDataset.readFeatures(rows, byModel, 3, 1).data());
        Path renamed = write("renamed.csv", "age,town\n50,Paris\n");
        assertEquals(renamed + ": feature column 2 is 'town' but the model's is 'city'; its columns are age, city",
                assertThrows(DataFormatException.class, () -> CsvDataset.readFeatures(renamed, byModel, 3, 1))
                        .getMessage());
        // a Java program's rows of text
        assertArrayEquals(new double[] {20, 1, 0}, e.encodeRows(List.<String[]>of(new String[] {"20", "Lyon"}), false)
                .data());
        assertEquals("row 1, column 'city': 'Rome' is not one of the 2 categories of 'city' the model was trained on",
                assertThrows(IllegalArgumentException.class,
                        () -> e.encodeRows(List.<String[]>of(new String[] {"20", "Rome"}), false)).getMessage());
    }
}
