package dev.descent.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.io.AtomicFiles;
import dev.descent.tensor.Dtype;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors format (Hugging Face's, what {@code safetensors.torch.save_file} writes):
 * <pre>
 *   8 bytes       N, the header's length, unsigned little-endian
 *   N bytes       a JSON object: {"__metadata__": {string: string}, "NAME": {"dtype": "F32",
 *                 "shape": [out, in], "data_offsets": [begin, end]}, ...}, padded with spaces
 *   the rest      the byte buffer: each tensor's values, little-endian, row-major, at
 *                 [begin, end) from the buffer's start
 * </pre>
 * As the format's own reader does, this one refuses a header over 100,000,000 bytes or not
 * starting with an opening brace, offsets that overlap, leave a hole or run past the end, and a tensor
 * whose offsets do not span exactly its shape's bytes; it reads F32 and F64 (and names every other
 * safetensors type it refuses). Duplicate names are refused by the strict JSON reader.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** The format's own bound on the header (the reference implementation's MAX_HEADER_SIZE). */
    static final long MAX_HEADER = 100_000_000L;

    /** The header's JSON nests 3 deep (the object, a tensor, its shape); strings of at most {@link Limits#MAX_NAME} characters. */
    static final dev.descent.io.StrictJson.Limits HEADER_LIMITS = new dev.descent.io.StrictJson.Limits(MAX_HEADER, 3, Limits.MAX_NAME,
            3L * Limits.MAX_TENSORS + 2, 16L * Limits.MAX_TENSORS + 2 * 1024);

    /** The element types of the format; Descent reads the first two. */
    static final Set<String> KNOWN_DTYPES = Set.of("F32", "F64", "BOOL", "U8", "I8", "I16", "U16", "F16", "BF16",
            "I32", "U32", "I64", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Opens {@code path}, reading and checking its header; the values are read by {@link TensorFile#read}. */
    public static TensorFile open(Path path) throws WeightsFileException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new WeightsFileException(path + ": no such file");
        } catch (IOException e) {
            throw new WeightsFileException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            SafeTensorsReader reader = new SafeTensorsReader(path, channel);
            reader.readHeader();
            return reader;
        } catch (WeightsFileException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written; the file is only read
        }
    }

    /**
     * Writes {@code arrays} to {@code path} atomically, as F32 or F64, in the order given, with
     * {@code metadata} as {@code __metadata__}; the header is padded with spaces to a multiple of 8
     * bytes, as the format's writer does, so every tensor starts aligned.
     */
    public static void write(List<NamedArray> arrays, Dtype dtype, Map<String, String> metadata, Path path)
            throws IOException {
        byte[] header = header(arrays, dtype, metadata);
        AtomicFiles.write(path, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            for (NamedArray a : arrays) {
                writeValues(out, a.values(), dtype);
            }
        });
    }

    /** The header's bytes: JSON, then spaces to a multiple of 8 (counting the 8 bytes of its length). */
    static byte[] header(List<NamedArray> arrays, Dtype dtype, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        int item = dtype == Dtype.FLOAT32 ? 4 : 8;
        long offset = 0;
        for (NamedArray a : arrays) {
            ObjectNode t = root.putObject(a.name());
            t.put("dtype", dtype == Dtype.FLOAT32 ? "F32" : "F64");
            var shape = t.putArray("shape");
            for (int d : a.shape()) {
                shape.add(d);
            }
            long end = offset + (long) a.values().length * item;
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = java.util.Arrays.copyOf(json, padded);
        java.util.Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    /** Values little-endian, as float32 (rounded to nearest) or float64. */
    static void writeValues(OutputStream out, double[] values, Dtype dtype) throws IOException {
        int item = dtype == Dtype.FLOAT32 ? 4 : 8;
        ByteBuffer b = ByteBuffer.allocate(8192 * item).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            if (dtype == Dtype.FLOAT32) {
                b.putFloat((float) values[i]);
            } else {
                b.putDouble(values[i]);
            }
            if (!b.hasRemaining() || i == values.length - 1) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
        }
    }
}
