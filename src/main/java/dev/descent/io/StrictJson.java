package dev.descent.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a JSON document that nobody is trusted to have written: first one streaming pass that
 * allocates nothing per element and checks the limits (total size, nesting depth, string length,
 * number of objects and arrays, number of values), strict JSON (no duplicate keys, nothing after
 * the document) and that the tree will fit in the heap; only then is the tree built. A UTF-8
 * byte-order mark is skipped. Every problem is a {@link JsonException} with a one-line message.
 */
public final class StrictJson {
    private StrictJson() {}

    /**
     * Bounds on a document.
     *
     * @param maxBytes        the whole document, in bytes
     * @param maxDepth        nesting of objects and arrays
     * @param maxStringLength any string or key, in characters
     * @param maxContainers   objects and arrays in all
     * @param maxValues       scalar values in all
     */
    public record Limits(long maxBytes, int maxDepth, int maxStringLength, long maxContainers, long maxValues) {}

    /** A document that is not strict JSON or breaks a limit; the message has the line and column when known. */
    public static final class JsonException extends IOException {
        public JsonException(String message) {
            super(message);
        }
    }

    /** Rough heap cost of a tree node: a value, and an object or array (with its list or map). */
    static final long BYTES_PER_VALUE = 48, BYTES_PER_CONTAINER = 96;

    /**
     * Reads {@code file}; a missing file is a {@link NoSuchFileException}. A regular file is read
     * twice, a streaming check then the tree, so that its bytes need not be held; anything else (a
     * pipe, {@code <(cat m.json)}, a FIFO) can be read only once, so its bytes are read into memory
     * once, up to the size limit, and both passes run on them.
     */
    public static JsonNode read(Path file, Limits limits) throws IOException {
        if (!Files.isRegularFile(file)) {
            return read(readOnce(file, limits), limits);
        }
        long size = Files.size(file);
        if (size > limits.maxBytes()) {
            throw new JsonException("the file is " + size + " bytes, more than the " + limits.maxBytes() + " allowed");
        }
        try (InputStream in = Files.newInputStream(file)) {
            check(in, limits);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return tree(in, limits);
        }
    }

    /** Reads a document held in memory. */
    public static JsonNode read(byte[] bytes, Limits limits) throws IOException {
        if (bytes.length > limits.maxBytes()) {
            throw new JsonException("the file is " + bytes.length + " bytes, more than the " + limits.maxBytes()
                    + " allowed");
        }
        check(new ByteArrayInputStream(bytes), limits);
        return tree(new ByteArrayInputStream(bytes), limits);
    }

    /** All the bytes of a stream that can be read only once, refusing more than the limit allows. */
    private static byte[] readOnce(Path file, Limits limits) throws IOException {
        long max = Math.min(limits.maxBytes(), Integer.MAX_VALUE - 16);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) max);
            if (bytes.length == max && in.read() >= 0) {
                throw new JsonException("it holds more than the " + max + " bytes allowed");
            }
            return bytes;
        }
    }

    private static JsonFactory factory(Limits limits) {
        return JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxStringLength(Math.max(limits.maxStringLength(), 1))
                        .maxNameLength(Math.max(limits.maxStringLength(), 1))
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxDocumentLength(limits.maxBytes())
                        .build())
                .build();
    }

    /** The streaming pass: limits and strictness, nothing built. */
    private static void check(InputStream in, Limits limits) throws JsonException {
        long containers = 0, values = 0;
        try (JsonParser p = factory(limits).createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JsonException("empty file, expected a JSON document");
            }
            int depth = 0;
            do {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        depth++;
                        if (depth > limits.maxDepth()) {
                            throw at(p, "nested more than " + limits.maxDepth() + " levels deep");
                        }
                        if (++containers > limits.maxContainers()) {
                            throw at(p, "more than " + limits.maxContainers() + " objects and arrays");
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME, VALUE_STRING -> {
                        if (p.getTextLength() > limits.maxStringLength()) {
                            throw at(p, "a string of " + p.getTextLength() + " characters, more than "
                                    + limits.maxStringLength());
                        }
                        if (t == JsonToken.VALUE_STRING) {
                            values++;
                        }
                    }
                    default -> values++;
                }
                if (values > limits.maxValues()) {
                    throw at(p, "more than " + limits.maxValues() + " values");
                }
            } while (depth > 0 && (t = p.nextToken()) != null);
            if (p.nextToken() != null) {
                throw at(p, "more content after the end of the JSON document");
            }
        } catch (JsonProcessingException e) {
            throw invalid(e, limits);
        } catch (JsonException e) {
            throw e;
        } catch (IOException e) {
            throw new JsonException("cannot read (" + e.getMessage() + ")");
        }
        long needed = containers * BYTES_PER_CONTAINER + values * BYTES_PER_VALUE;
        long free = Heap.available();
        if (needed > free) {
            throw new JsonException("reading it needs about " + Heap.megabytes(needed) + " of memory but the Java heap has "
                    + Heap.megabytes(free) + " free");
        }
    }

    private static JsonNode tree(InputStream in, Limits limits) throws JsonException {
        ObjectMapper mapper = new ObjectMapper(factory(limits))
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        try {
            return mapper.readTree(in);
        } catch (JsonProcessingException e) {
            throw invalid(e, limits);
        } catch (IOException e) {
            throw new JsonException("cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * A parser's error in Descent's words: a limit that Jackson's own constraints enforce (they are
     * set from {@code limits}) is named as the limit, as {@link #check} names the others; anything
     * else is JSON that is not valid, with Jackson's description.
     */
    private static JsonException invalid(JsonProcessingException e, Limits limits) {
        if (!(e instanceof StreamConstraintsException)) {
            return new JsonException("not valid JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage());
        }
        String m = String.valueOf(e.getOriginalMessage());
        String what;
        if (m.contains("MaxNestingDepth")) {
            what = "nested more than " + limits.maxDepth() + " levels deep";
        } else if (m.contains("MaxNameLength")) {
            what = String.format(Locale.ROOT, "a key of more than %,d characters", limits.maxStringLength());
        } else if (m.contains("MaxStringLength")) {
            what = String.format(Locale.ROOT, "a string of more than %,d characters", limits.maxStringLength());
        } else if (m.contains("MaxNumberLength")) {
            what = "a number written with more than " + MAX_NUMBER_LENGTH + " characters";
        } else if (m.contains("MaxDocumentLength")) {
            what = String.format(Locale.ROOT, "more than the %,d bytes allowed", limits.maxBytes());
        } else {
            what = "past a limit of the format";
        }
        return new JsonException("refused" + where(e.getLocation()) + ": " + what);
    }

    /** The longest number, in characters: a double's shortest form is at most 25. */
    static final int MAX_NUMBER_LENGTH = 400;

    private static JsonException at(JsonParser p, String what) {
        return new JsonException("refused" + where(p.currentTokenLocation()) + ": " + what);
    }

    /** " (line 3, column 7)", or nothing when the parser does not know. */
    private static String where(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return "";
        }
        return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}
