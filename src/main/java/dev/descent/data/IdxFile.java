package dev.descent.data;

import java.io.BufferedInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads an IDX file of unsigned bytes, the format of MNIST and Fashion-MNIST
 * (http://yann.lecun.com/exdb/mnist/): a big-endian header {@code 0x00 0x00 0x08 ndims}, then
 * ndims 32-bit dimensions, then the bytes in row-major order. A name ending in {@code .gz} is
 * read through gzip.
 *
 * <p>The header is never trusted with memory: the buffer grows only as bytes actually arrive,
 * so a file that promises more than it holds is refused as truncated, not allocated for.
 *
 * @param dims the dimensions, such as {60000, 28, 28}
 * @param data the values, row-major
 */
public record IdxFile(int[] dims, byte[] data) {
    /** The type code of unsigned bytes, the only one MNIST uses. */
    static final int UNSIGNED_BYTE = 0x08;

    /** More values than this in one file are refused. */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    public static IdxFile read(Path path) throws DataFormatException {
        if (Files.isDirectory(path)) {
            throw new DataFormatException(path + ": is a directory, expected an IDX file");
        }
        boolean gzip = path.getFileName().toString().endsWith(".gz");
        try (InputStream raw = Files.newInputStream(path);
                InputStream in = new BufferedInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16)) {
            return read(in, path.toString(), sizeHint(path, gzip));
        } catch (NoSuchFileException e) {
            throw new DataFormatException(path + ": no such file");
        } catch (ZipException e) {
            throw new DataFormatException(path + ": not a valid gzip stream (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new DataFormatException(path + ": the gzip stream ends early; the file is truncated");
        } catch (IOException e) {
            throw new DataFormatException(path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The dimensions in the header of {@code path} ({@code [60000, 28, 28]}), reading nothing after it. */
    public static int[] dims(Path path) throws DataFormatException {
        boolean gzip = path.getFileName().toString().endsWith(".gz");
        try (InputStream raw = Files.newInputStream(path);
                InputStream in = new BufferedInputStream(gzip ? new GZIPInputStream(raw, 1 << 12) : raw, 1 << 12)) {
            byte[] head = in.readNBytes(4);
            if (head.length < 4 || head[0] != 0 || head[1] != 0 || (head[3] & 0xff) < 1 || (head[3] & 0xff) > 4) {
                throw new DataFormatException(path + ": not an IDX file (its header does not start 0x0000 0x08 ndims)");
            }
            int[] dims = new int[head[3] & 0xff];
            DataInputStream data = new DataInputStream(in);
            for (int i = 0; i < dims.length; i++) {
                dims[i] = data.readInt();
            }
            return dims;
        } catch (NoSuchFileException e) {
            throw new DataFormatException(path + ": no such file");
        } catch (EOFException e) {
            throw new DataFormatException(path + ": truncated in the header");
        } catch (IOException e) {
            throw new DataFormatException(path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * The bytes {@code path} holds when read, as far as can be told without reading it: a plain
     * file's size; for gzip, the uncompressed size its trailer states (ISIZE, RFC 1952; modulo
     * 2³², and for a file of one member), bounded by deflate's largest ratio (1032:1) so that a
     * crafted trailer cannot ask for more than the file could hold; -1 when unknown.
     */
    static long sizeHint(Path path, boolean gzip) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (!gzip) {
                return size;
            }
            if (size < 18) { // a gzip header and trailer alone take 18 bytes
                return -1;
            }
            ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (trailer.hasRemaining() && ch.read(trailer, size - 4 + trailer.position()) > 0) {
                // reads the last four bytes
            }
            return Math.min(Integer.toUnsignedLong(trailer.getInt(0)), 1032 * size);
        } catch (IOException | RuntimeException e) {
            return -1; // the read itself will say what is wrong
        }
    }

    static IdxFile read(InputStream stream, String name) throws IOException, DataFormatException {
        return read(stream, name, -1);
    }

    /**
     * The IDX file in {@code stream}; {@code sizeHint}, the bytes the stream is expected to hold
     * ({@link #sizeHint}, -1 unknown), sizes the buffer at once when it agrees with the header,
     * so that 47 MB of images are written into one array rather than into buffers doubled seven
     * times and a copy: fresh memory is slow to touch the first time (Fashion-MNIST's training
     * images took 0.49 s to read that way, 0.29 s into one array).
     */
    static IdxFile read(InputStream stream, String name, long sizeHint) throws IOException, DataFormatException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = new byte[4];
        if (in.readNBytes(magic, 0, 4) < 4) {
            throw new DataFormatException(name + ": too short for an IDX header (4 bytes of magic number)");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataFormatException(String.format(Locale.ROOT, "%s: wrong magic number 0x%02x%02x%02x%02x; an IDX file starts "
                    + "with 0x0000 (is it gzipped without a .gz name?)", name, magic[0], magic[1], magic[2], magic[3]));
        }
        if (magic[2] != UNSIGNED_BYTE) {
            throw new DataFormatException(String.format(Locale.ROOT, "%s: IDX type 0x%02x is not supported; Descent reads unsigned "
                    + "bytes (0x08), as MNIST uses", name, magic[2]));
        }
        int ndims = magic[3] & 0xff;
        if (ndims < 1 || ndims > 4) {
            throw new DataFormatException(name + ": " + ndims + " dimensions; expected 1 (labels) to 3 (images)");
        }
        int[] dims = new int[ndims];
        long total = 1;
        byte[] header = new byte[4 * ndims];
        if (in.readNBytes(header, 0, header.length) < header.length) {
            throw new DataFormatException(name + ": truncated in the header (" + ndims + " dimensions promised)");
        }
        for (int i = 0; i < ndims; i++) {
            dims[i] = ((header[4 * i] & 0xff) << 24) | ((header[4 * i + 1] & 0xff) << 16)
                    | ((header[4 * i + 2] & 0xff) << 8) | (header[4 * i + 3] & 0xff);
        }
        // Every dimension is read before any is judged, so a message quotes the header whole.
        for (int i = 0; i < ndims; i++) {
            if (dims[i] < 0) {
                throw new DataFormatException(name + ": dimension " + i + " of the header " + header(dims) + " is "
                        + Integer.toUnsignedString(dims[i]) + ", too large");
            }
            total = Math.multiplyHigh(total, dims[i]) != 0 ? Long.MAX_VALUE : total * dims[i];
            if (total > MAX_VALUES) {
                throw new DataFormatException(name + ": the header " + header(dims) + " promises more than "
                        + MAX_VALUES + " values");
            }
        }
        long expected = sizeHint - 4 - 4L * ndims; // the values, after the magic number and the dimensions
        byte[] data = readAtMost(in, (int) total, expected >= total ? (int) total : 1 << 20);
        if (data.length < total) {
            throw new DataFormatException(name + ": truncated: the header promises " + total + " values "
                    + Arrays.toString(dims) + " but the file holds " + data.length);
        }
        if (in.read() != -1) {
            throw new DataFormatException(name + ": more data than the header's " + total + " values "
                    + Arrays.toString(dims));
        }
        return new IdxFile(dims, data);
    }

    /** The dimensions as the header has them, unsigned: {@code [60000, 28, 28]}. */
    private static String header(int[] dims) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i > 0 ? ", " : "").append(Integer.toUnsignedString(dims[i]));
        }
        return sb.append(']').toString();
    }

    /**
     * Reads up to {@code limit} bytes into a buffer of {@code initial} bytes first, growing it only
     * as more bytes arrive.
     */
    private static byte[] readAtMost(InputStream in, int limit, int initial) throws IOException {
        byte[] buf = new byte[Math.min(limit, initial)];
        int n = 0;
        while (n < limit) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(limit, 2L * buf.length));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }
}
