package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files made here, tiny, one per failure mode. */
class IdxTest {
    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes: magic 0x00000800 + ndims, the dims, then the data. */
    static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    /** Three 2x2 images with pixels 0, 51, 102, ... and labels 2, 0, 1. */
    static void writeTinySet(Path dir, String split, boolean gz) throws IOException {
        byte[] pixels = new byte[12];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 51 % 256);
        }
        byte[] images = idx(new int[] {3, 2, 2}, pixels);
        byte[] labels = idx(new int[] {3}, new byte[] {2, 0, 1});
        String suffix = gz ? ".gz" : "";
        Files.write(dir.resolve(split + "-images-idx3-ubyte" + suffix), gz ? gzip(images) : images);
        Files.write(dir.resolve(split + "-labels-idx1-ubyte" + suffix), gz ? gzip(labels) : labels);
    }

    @Test
    void readsPlainAndGzipDirectories() throws Exception {
        for (boolean gz : new boolean[] {false, true}) {
            Path d = Files.createDirectory(dir.resolve(gz ? "gz" : "plain"));
            writeTinySet(d, "train", gz);
            writeTinySet(d, "t10k", gz);
            assertTrue(IdxDataset.isIdxDirectory(d));
            Dataset train = IdxDataset.training(d);
            assertEquals(3, train.size());
            assertEquals(4, train.featureCount());
            assertArrayEquals(new int[] {2, 0, 1}, train.labels());
            assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), train.classNames());
            // Row 2 holds pixels 4..7: 204, 255 (=5*51), 306 % 256 = 50, 357 % 256 = 101; scaled by 1/255.
            assertEquals(204 / 255.0, train.features().get(1, 0), 1e-15);
            assertEquals(1.0, train.features().get(1, 1), 1e-15);
            assertEquals(50 / 255.0, train.features().get(1, 2), 1e-15);
            assertEquals(3, IdxDataset.test(d).size());
        }
    }

    @Test
    void fashionDirectoriesGetFashionClassNames() throws Exception {
        Path d = Files.createDirectory(dir.resolve("fashion-mnist"));
        writeTinySet(d, "train", false);
        assertEquals("Ankle boot", IdxDataset.training(d).classNames().get(9));
    }

    private String error(byte[] content, String name) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFile.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e.getMessage().substring(f.toString().length());
    }

    @Test
    void wrongMagicNumber() throws Exception {
        assertEquals(": wrong magic number 0x1f8b0800; an IDX file starts with 0x0000 (is it gzipped without a .gz name?)",
                error(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0}, "a"));
    }

    @Test
    void unsupportedType() throws Exception {
        byte[] f = idx(new int[] {1}, new byte[4]);
        f[2] = 0x0D; // float
        assertEquals(": IDX type 0x0d is not supported; Descent reads unsigned bytes (0x08), as MNIST uses", error(f, "b"));
    }

    @Test
    void truncatedData() throws Exception {
        byte[] f = idx(new int[] {2, 2, 2}, new byte[5]);
        assertEquals(": truncated: the header promises 8 values [2, 2, 2] but the file holds 5", error(f, "c"));
    }

    @Test
    void headerPromisingFarMoreThanTheFileHoldsIsNotAllocated() throws Exception {
        // 1e9 values promised, 3 present: refused as truncated, with no gigabyte allocated first.
        // Counted as the bytes this thread allocates, not as heap growth, which other tests' garbage can cause.
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] f = idx(new int[] {1_000_000, 1000}, new byte[3]);
        long before = threads.getCurrentThreadAllocatedBytes();
        assertEquals(": truncated: the header promises 1000000000 values [1000000, 1000] but the file holds 3", error(f, "d"));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 100_000_000L, allocated + " bytes allocated");
    }

    @Test
    void headerPromisingMoreThanAnArrayCanHold() throws Exception {
        byte[] f = idx(new int[] {100_000, 100_000}, new byte[0]);
        assertEquals(": the header [100000, 100000] promises more than 2147483639 values", error(f, "e"));
    }

    @Test
    void theOverflowMessageQuotesEveryDimensionOfTheHeader() throws Exception {
        // The product passes the bound at the second dimension; the third must still be quoted as written.
        byte[] f = idx(new int[] {100_000, 100_000, 28}, new byte[0]);
        assertEquals(": the header [100000, 100000, 28] promises more than 2147483639 values", error(f, "g"));
        byte[] huge = idx(new int[] {-1, 2}, new byte[0]);
        assertEquals(": dimension 0 of the header [4294967295, 2] is 4294967295, too large", error(huge, "h"));
    }

    @Test
    void trailingData() throws Exception {
        assertEquals(": more data than the header's 2 values [2]", error(idx(new int[] {2}, new byte[3]), "f"));
    }

    @Test
    void corruptGzipStream() throws Exception {
        byte[] gz = gzip(idx(new int[] {4}, new byte[4]));
        byte[] corrupt = Arrays.copyOf(gz, gz.length);
        corrupt[12] ^= 0x55;
        Path f = dir.resolve("g.gz");
        Files.write(f, corrupt);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFile.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());

        Path cut = dir.resolve("h.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length - 10));
        e = assertThrows(DataFormatException.class, () -> IdxFile.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
    }

    /**
     * The size a file is read into at once: a plain file's length; a gzip file's trailer, bounded
     * by deflate's 1032:1 so a crafted trailer cannot ask for more; nothing known for a file too
     * short to have a trailer. A trailer that lies is read as a corrupt stream, as before.
     */
    @Test
    void theSizeToReadIntoIsTheFilesOwnAccount() throws Exception {
        byte[] plain = idx(new int[] {3, 2}, new byte[] {1, 2, 3, 4, 5, 6});
        Path p = dir.resolve("p"), g = dir.resolve("g.gz"), lying = dir.resolve("l.gz"), tiny = dir.resolve("t.gz");
        Files.write(p, plain);
        Files.write(g, gzip(plain));
        assertEquals(plain.length, IdxFile.sizeHint(p, false));
        assertEquals(plain.length, IdxFile.sizeHint(g, true));
        byte[] gz = gzip(plain);
        Arrays.fill(gz, gz.length - 4, gz.length, (byte) 0xff); // ISIZE 2^32 - 1
        Files.write(lying, gz);
        assertEquals(1032L * gz.length, IdxFile.sizeHint(lying, true));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFile.read(lying));
        assertTrue(e.getMessage().startsWith(lying + ": not a valid gzip stream"), e.getMessage());
        Files.write(tiny, new byte[] {0x1f, (byte) 0x8b, 8});
        assertEquals(-1, IdxFile.sizeHint(tiny, true));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, IdxFile.read(g).data());
    }

    @Test
    void imagesAndLabelsOfDifferentCounts() throws Exception {
        Path d = Files.createDirectory(dir.resolve("mismatch"));
        Files.write(d.resolve("train-images-idx3-ubyte"), idx(new int[] {3, 1, 1}, new byte[3]));
        Files.write(d.resolve("train-labels-idx1-ubyte"), idx(new int[] {2}, new byte[2]));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxDataset.training(d));
        assertEquals(d.resolve("train-images-idx3-ubyte") + " holds 3 images but " + d.resolve("train-labels-idx1-ubyte")
                + " holds 2 labels", e.getMessage());
    }

    @Test
    void missingLabelsFile() throws Exception {
        Path d = Files.createDirectory(dir.resolve("nolabels"));
        Files.write(d.resolve("train-images-idx3-ubyte"), idx(new int[] {1, 1, 1}, new byte[1]));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxDataset.training(d));
        assertEquals(d + ": no train-labels-idx1-ubyte[.gz] file", e.getMessage());
    }
}
