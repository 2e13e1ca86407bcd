package dev.descent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;

/**
 * The JSON that {@code --json} prints on standard output, for scripts: one object, indented, with
 * numbers in full precision; a number that is not finite (a precision with nothing predicted, a
 * loss that diverged) is null.
 */
final class Json {
    private Json() {}

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static String write(Map<String, Object> object) {
        try {
            return MAPPER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings, numbers, lists and maps always serialise", e);
        }
    }

    /** The number, or null when it is NaN or infinite. */
    static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
