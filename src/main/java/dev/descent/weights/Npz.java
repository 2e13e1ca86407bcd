package dev.descent.weights;

import dev.descent.io.AtomicFiles;
import dev.descent.tensor.Dtype;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz} archive ({@code numpy.savez}): a zip file with one {@code NAME.npy} entry
 * per array ({@link Npy}), stored or deflated; {@code numpy.load(f)["NAME"]} reads one.
 *
 * <p>An archive is not trusted: at most {@link Limits#MAX_TENSORS} entries, each a {@code .npy}
 * file under a name no other entry has, whose declared size is what its array header implies;
 * every entry is read through a counter that stops at that size, so an entry that inflates
 * further (a zip bomb, or entries that share their compressed bytes) is refused after reading at
 * most one byte more than its array, whatever the archive's directory claims.
 */
public final class Npz {
    private Npz() {}

    /** Opens {@code path}, reading every entry's array header; the values are read by {@link TensorFile#read}. */
    public static TensorFile open(Path path) throws WeightsFileException {
        try {
            long size = Files.size(path);
            if (size > Limits.MAX_FILE_BYTES) {
                throw new WeightsFileException(path + ": the file is " + size + " bytes, more than the "
                        + Limits.MAX_FILE_BYTES + " allowed");
            }
        } catch (NoSuchFileException e) {
            throw new WeightsFileException(path + ": no such file");
        } catch (IOException e) {
            throw new WeightsFileException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (IOException | RuntimeException e) {
            throw new WeightsFileException(path + ": not an .npz archive (" + e.getMessage() + ")");
        }
        try {
            Reader reader = new Reader(path, zip);
            reader.readHeaders();
            return reader;
        } catch (WeightsFileException e) {
            closeQuietly(zip);
            throw e;
        } catch (RuntimeException e) { // the JDK's zip reader on a malformed archive
            closeQuietly(zip);
            throw new WeightsFileException(path + ": not a valid .npz archive (" + e.getMessage() + ")");
        }
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // only read
        }
    }

    private static final class Reader implements TensorFile {
        private final Path path;
        private final ZipFile zip;
        private final List<TensorInfo> tensors = new ArrayList<>();
        private final Map<String, ZipEntry> entries = new HashMap<>();
        private final Map<String, Npy.Header> headers = new HashMap<>();

        Reader(Path path, ZipFile zip) {
            this.path = path;
            this.zip = zip;
        }

        void readHeaders() throws WeightsFileException {
            long values = 0;
            int count = 0;
            for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
                ZipEntry e = all.nextElement();
                if (++count > Limits.MAX_TENSORS) {
                    throw fail("more than " + Limits.MAX_TENSORS + " entries");
                }
                String entry = e.getName();
                if (e.isDirectory() || !entry.endsWith(".npy") || entry.length() == 4) {
                    throw fail("entry '" + entry + "' is not a NAME.npy array");
                }
                if (entry.length() > Limits.MAX_NAME) {
                    throw fail("an entry's name is " + entry.length() + " characters, more than " + Limits.MAX_NAME);
                }
                String name = entry.substring(0, entry.length() - 4);
                if (entries.containsKey(name)) {
                    throw fail("two entries are named '" + entry + "'");
                }
                Npy.Header h = header(e);
                long n = Limits.count(h.shape());
                if (n < 0) {
                    throw fail(entry + ": shape " + java.util.Arrays.toString(h.shape()) + " holds more than "
                            + Limits.MAX_VALUES + " values");
                }
                values += n;
                if (values > Limits.MAX_VALUES) {
                    throw fail("the arrays hold more than " + Limits.MAX_VALUES + " values");
                }
                long expected = h.length() + n * h.itemSize();
                if (e.getSize() >= 0 && e.getSize() != expected) {
                    throw fail(entry + ": the archive says " + e.getSize() + " bytes, but its header's shape "
                            + java.util.Arrays.toString(h.shape()) + " of " + h.descr() + " makes " + expected);
                }
                int[] shape = new int[h.shape().length];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = (int) h.shape()[i];
                }
                entries.put(name, e);
                headers.put(name, h);
                tensors.add(new TensorInfo(name, h.descr(), shape, h.fortranOrder()));
            }
        }

        private Npy.Header header(ZipEntry e) throws WeightsFileException {
            try (InputStream in = zip.getInputStream(e)) {
                return Npy.readHeader(in);
            } catch (Npy.Invalid x) {
                throw fail(e.getName() + ": " + x.getMessage());
            } catch (IOException x) {
                throw fail(e.getName() + ": cannot read (" + x.getMessage() + ")");
            }
        }

        @Override
        public double[] read(TensorInfo tensor) throws WeightsFileException {
            ZipEntry e = entries.get(tensor.name());
            Npy.Header h = headers.get(tensor.name());
            if (e == null) {
                throw new IllegalArgumentException(tensor.name() + " is not an array of " + path);
            }
            int item = h.itemSize();
            long n = tensor.count();
            Limits.requireHeap(path + ": " + e.getName(), n, item);
            byte[] data;
            try (InputStream in = zip.getInputStream(e)) {
                in.skipNBytes(h.length());
                data = in.readNBytes(Math.toIntExact(n * item));
                if (data.length < n * item) {
                    throw fail(e.getName() + ": the array ends after " + data.length + " of its " + n * item + " bytes");
                }
                if (in.read() >= 0) {
                    throw fail(e.getName() + ": more bytes than its shape " + tensor.shapeText() + " holds (a zip bomb?)");
                }
            } catch (IOException | RuntimeException x) {
                throw fail(e.getName() + ": cannot read (" + x.getMessage() + ")");
            }
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            double[] stored = new double[(int) n];
            for (int i = 0; i < stored.length; i++) {
                stored[i] = item == 4 ? b.getFloat() : b.getDouble();
            }
            return h.fortranOrder() ? rowMajor(stored, tensor.shape()) : stored;
        }

        private WeightsFileException fail(String message) {
            return new WeightsFileException(path + ": " + message);
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public List<TensorInfo> tensors() {
            return List.copyOf(tensors);
        }

        @Override
        public void close() {
            closeQuietly(zip);
        }
    }

    /**
     * Values stored column-major (Fortran order: the first index varies fastest) put in row-major
     * order: element (i0, i1, ...) sits at i0 + d0·(i1 + d1·(...)) in {@code stored}.
     */
    static double[] rowMajor(double[] stored, int[] shape) {
        if (shape.length < 2) {
            return stored;
        }
        double[] out = new double[stored.length];
        int[] index = new int[shape.length];
        for (int r = 0; r < out.length; r++) {
            int c = 0;
            for (int k = shape.length - 1; k >= 0; k--) {
                c = c * shape[k] + index[k];
            }
            out[r] = stored[c];
            for (int k = shape.length - 1; k >= 0; k--) { // the next row-major index: last dimension fastest
                if (++index[k] < shape[k]) {
                    break;
                }
                index[k] = 0;
            }
        }
        return out;
    }

    /**
     * Writes {@code arrays} to {@code path} atomically as {@code numpy.savez} does: one stored
     * (uncompressed) {@code NAME.npy} entry each, in the order given; every entry is dated
     * 1980-01-01, so the same parameters make the same bytes.
     */
    public static void write(List<NamedArray> arrays, Dtype dtype, Path path) throws IOException {
        List<byte[]> files = new ArrayList<>();
        for (NamedArray a : arrays) {
            files.add(Npy.write(a, dtype));
        }
        AtomicFiles.write(path, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (int i = 0; i < arrays.size(); i++) {
                byte[] bytes = files.get(i);
                ZipEntry e = new ZipEntry(arrays.get(i).name() + ".npy");
                e.setMethod(ZipEntry.STORED);
                e.setSize(bytes.length);
                e.setCompressedSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                e.setCrc(crc.getValue());
                e.setTimeLocal(LocalDateTime.of(1980, 1, 1, 0, 0));
                zip.putNextEntry(e);
                zip.write(bytes);
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}
