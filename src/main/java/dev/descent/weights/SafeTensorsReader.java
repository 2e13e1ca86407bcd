package dev.descent.weights;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.io.StrictJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open safetensors file ({@link SafeTensors}): its header read and checked when opened, each
 * tensor's bytes read from its offsets when asked for.
 */
final class SafeTensorsReader implements TensorFile {
    private final Path path;
    private final FileChannel channel;
    private final List<TensorInfo> tensors = new ArrayList<>();
    private final Map<String, long[]> offsets = new LinkedHashMap<>();
    private long dataStart;

    SafeTensorsReader(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    void readHeader() throws WeightsFileException {
        long size = size();
        if (size > Limits.MAX_FILE_BYTES) {
            throw fail("the file is " + size + " bytes, more than the " + Limits.MAX_FILE_BYTES + " allowed");
        }
        if (size < 8) {
            throw fail("not a safetensors file: " + size + " bytes, shorter than the 8 of its header's length");
        }
        long n = bytes(0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > SafeTensors.MAX_HEADER) {
            throw fail("the header's length is " + Long.toUnsignedString(n) + " bytes, more than the " + SafeTensors.MAX_HEADER
                    + " allowed");
        }
        if (n > size - 8) {
            throw fail("the header's length is " + n + " bytes, but only " + (size - 8) + " follow it");
        }
        byte[] header = new byte[(int) n];
        bytes(8, (int) n).get(header);
        if (n < 2 || header[0] != '{') {
            throw fail("not a safetensors file: the header does not start with '{'");
        }
        JsonNode root;
        try {
            root = StrictJson.read(header, SafeTensors.HEADER_LIMITS);
        } catch (StrictJson.JsonException e) {
            throw fail("header: " + e.getMessage());
        } catch (IOException e) {
            throw fail("header: cannot read (" + e.getMessage() + ")");
        }
        if (!root.isObject()) {
            throw fail("the header is not a JSON object");
        }
        dataStart = 8 + n;
        long buffer = size - dataStart;
        long values = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                checkMetadata(e.getValue());
                continue;
            }
            if (tensors.size() >= Limits.MAX_TENSORS) {
                throw fail("more than " + Limits.MAX_TENSORS + " tensors");
            }
            TensorInfo t = tensor(e.getKey(), e.getValue(), buffer);
            values += t.count();
            if (values > Limits.MAX_VALUES) {
                throw fail("the tensors hold more than " + Limits.MAX_VALUES + " values");
            }
            tensors.add(t);
        }
        checkCoverage(buffer);
    }

    private void checkMetadata(JsonNode m) throws WeightsFileException {
        if (!m.isObject()) {
            throw fail("__metadata__ is not an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw fail("__metadata__." + e.getKey() + " is not a string");
            }
        }
    }

    private TensorInfo tensor(String name, JsonNode node, long buffer) throws WeightsFileException {
        String where = "tensor '" + name + "'";
        if (name.isEmpty()) {
            throw fail("a tensor has an empty name");
        }
        if (!node.isObject()) {
            throw fail(where + " is not an object with dtype, shape and data_offsets");
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw fail(where + " has an unknown field '" + key + "'");
            }
        }
        JsonNode dtype = node.get("dtype"), shape = node.get("shape"), range = node.get("data_offsets");
        if (dtype == null || shape == null || range == null) {
            throw fail(where + " needs dtype, shape and data_offsets");
        }
        if (!dtype.isTextual()) {
            throw fail(where + ": dtype is not a string");
        }
        String type = dtype.textValue();
        if (!type.equals("F32") && !type.equals("F64")) {
            throw fail(where + " has dtype " + (SafeTensors.KNOWN_DTYPES.contains(type) ? type : "'" + type + "', not a safetensors type")
                    + "; Descent reads F32 and F64 (in PyTorch, .float() or .double() before saving)");
        }
        long[] dims = integers(where + ": shape", shape, Limits.MAX_RANK, Limits.MAX_VALUES);
        long count = Limits.count(dims);
        if (count < 0) {
            throw fail(where + ": shape " + java.util.Arrays.toString(dims) + " holds more than " + Limits.MAX_VALUES
                    + " values");
        }
        long[] at = integers(where + ": data_offsets", range, 2, Long.MAX_VALUE);
        if (at.length != 2) {
            throw fail(where + ": data_offsets must be [begin, end]");
        }
        if (at[0] > at[1]) {
            throw fail(where + ": data_offsets [" + at[0] + ", " + at[1] + "] end before they begin");
        }
        if (at[1] > buffer) {
            throw fail(where + ": data_offsets [" + at[0] + ", " + at[1] + "] run past the end of the "
                    + buffer + " bytes of data");
        }
        int item = type.equals("F32") ? 4 : 8;
        if (at[1] - at[0] != count * item) {
            throw fail(where + ": shape " + java.util.Arrays.toString(dims) + " of " + type + " is " + count * item
                    + " bytes, but data_offsets [" + at[0] + ", " + at[1] + "] span " + (at[1] - at[0]));
        }
        int[] intShape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            intShape[i] = (int) dims[i];
        }
        offsets.put(name, at);
        return new TensorInfo(name, type, intShape, false);
    }

    /** Whole numbers, at most {@code maxLength} of them, each in [0, max]. */
    private long[] integers(String where, JsonNode node, int maxLength, long max) throws WeightsFileException {
        if (!node.isArray() || node.size() > maxLength) {
            throw fail(where + " must be an array of at most " + maxLength + " whole numbers");
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0 || v.longValue() > max) {
                throw fail(where + "[" + i + "] is " + v + ", not a whole number from 0 to " + max);
            }
            out[i] = v.longValue();
        }
        return out;
    }

    /** The tensors' bytes, in order of offset, must tile the buffer: no overlap, no hole, nothing after. */
    private void checkCoverage(long buffer) throws WeightsFileException {
        List<Map.Entry<String, long[]>> byOffset = new ArrayList<>(offsets.entrySet());
        byOffset.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0])
                .thenComparingLong(e -> e.getValue()[1]));
        long end = 0;
        String previous = null;
        for (Map.Entry<String, long[]> e : byOffset) {
            long[] at = e.getValue();
            if (at[0] < end) {
                throw fail("tensors '" + previous + "' and '" + e.getKey() + "' overlap (bytes " + at[0] + " to "
                        + end + ")");
            }
            if (at[0] > end) {
                throw fail("bytes " + end + " to " + at[0] + " of the data belong to no tensor");
            }
            end = at[1];
            previous = e.getKey();
        }
        if (end != buffer) {
            throw fail("the data has " + buffer + " bytes but the tensors use " + end);
        }
    }

    @Override
    public double[] read(TensorInfo tensor) throws WeightsFileException {
        long[] at = offsets.get(tensor.name());
        if (at == null) {
            throw new IllegalArgumentException(tensor.name() + " is not a tensor of " + path);
        }
        int item = tensor.dtype().equals("F32") ? 4 : 8;
        Limits.requireHeap(path + ": " + tensor.name(), tensor.count(), item);
        ByteBuffer b = bytes(dataStart + at[0], Math.toIntExact(at[1] - at[0])).order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[(int) tensor.count()];
        for (int i = 0; i < values.length; i++) {
            values[i] = item == 4 ? b.getFloat() : b.getDouble();
        }
        return values;
    }

    private long size() throws WeightsFileException {
        try {
            return channel.size();
        } catch (IOException e) {
            throw fail("cannot read (" + e.getMessage() + ")");
        }
    }

    /** {@code length} bytes from {@code position}, all of them, or an error. */
    private ByteBuffer bytes(long position, int length) throws WeightsFileException {
        ByteBuffer b = ByteBuffer.allocate(length);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, position + b.position()) < 0) {
                    throw fail("the file ends at byte " + (position + b.position()) + ", before the "
                            + (position + length) + " its header promises");
                }
            }
        } catch (IOException e) {
            throw fail("cannot read (" + e.getMessage() + ")");
        }
        return b.flip();
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
        SafeTensors.closeQuietly(channel);
    }
}
