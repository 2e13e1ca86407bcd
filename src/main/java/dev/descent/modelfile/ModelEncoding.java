package dev.descent.modelfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.data.Encoding;
import dev.descent.modelfile.ModelFileReader.Invalid;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code preprocessing.encode} of a version 2 model file: one object per raw column, in order.
 * <pre>
 * {"name": "age", "type": "number", "impute": 38.5}
 * {"name": "city", "type": "categories", "categories": ["Lyon", "Paris"], "other": ["Nice"], "missing": "column"}
 * </pre>
 * {@code impute}, {@code other} and {@code missing} are optional: a number without {@code impute}
 * refuses missing cells; {@code other} lists the rare categories that share one input after the
 * categories' own; {@code missing} is {@code "column"} (missing cells have the last input) or
 * {@code "zeros"} (they are all zeros), absent when missing cells are refused. The inputs of all
 * columns together must be the model's {@code inputs}.
 */
final class ModelEncoding {
    private ModelEncoding() {}

    static final List<String> NUMBER_FIELDS = List.of("name", "type", "impute");
    static final List<String> CATEGORY_FIELDS = List.of("name", "type", "categories", "other", "missing");

    static void write(ArrayNode out, Encoding encoding) {
        for (Encoding.Column c : encoding.columns()) {
            ObjectNode node = out.addObject();
            node.put("name", c.name());
            if (!c.categorical()) {
                node.put("type", "number");
                if (c.imputed()) {
                    node.put("impute", c.fill());
                }
                continue;
            }
            node.put("type", "categories");
            c.categories().forEach(node.putArray("categories")::add);
            if (!c.other().isEmpty()) {
                c.other().forEach(node.putArray("other")::add);
            }
            if (c.imputed()) {
                node.put("missing", c.missingColumn() ? "column" : "zeros");
            }
        }
    }

    static Encoding read(JsonNode node, int inputs) throws Invalid {
        if (!node.isArray() || node.isEmpty()) {
            throw new Invalid("preprocessing.encode must be a non-empty array of columns, found "
                    + ModelFileReader.describe(node));
        }
        List<Encoding.Column> columns = new ArrayList<>();
        long width = 0;
        for (int i = 0; i < node.size(); i++) {
            String where = "preprocessing.encode[" + i + "]";
            JsonNode c = node.get(i);
            if (!c.isObject() || !c.path("name").isTextual() || !c.path("type").isTextual()) {
                throw new Invalid(where + " must be an object with a \"name\" and a \"type\" string, found "
                        + ModelFileReader.describe(c));
            }
            String type = c.get("type").textValue();
            if (!type.equals("number") && !type.equals("categories")) {
                throw new Invalid(where + ".type is " + ModelFileReader.describe(c.get("type"))
                        + "; expected \"number\" or \"categories\"");
            }
            boolean number = type.equals("number");
            for (Iterator<String> names = c.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!(number ? NUMBER_FIELDS : CATEGORY_FIELDS).contains(name)) {
                    throw new Invalid(where + ": unknown field \"" + name + "\" in a column of " + type);
                }
            }
            String name = c.get("name").textValue();
            Encoding.Column column;
            if (number) {
                double fill = c.has("impute") ? ModelFileReader.finite(c.get("impute"), where + ".impute") : Double.NaN;
                column = Encoding.Column.numeric(name, fill);
            } else {
                Set<String> seen = new HashSet<>();
                List<String> categories = strings(c.get("categories"), where + ".categories", seen, true);
                List<String> other = c.has("other") ? strings(c.get("other"), where + ".other", seen, false) : List.of();
                JsonNode missing = c.get("missing");
                if (missing != null && !(missing.isTextual() && List.of("column", "zeros").contains(missing.textValue()))) {
                    throw new Invalid(where + ".missing is " + ModelFileReader.describe(missing)
                            + "; expected \"column\" or \"zeros\"");
                }
                column = new Encoding.Column(name, categories, other,
                        missing != null && missing.textValue().equals("column"), missing != null, Double.NaN);
            }
            width += column.width();
            columns.add(column);
        }
        if (width != inputs) {
            throw new Invalid("preprocessing.encode makes " + width + " inputs but \"inputs\" is " + inputs);
        }
        return new Encoding(columns);
    }

    /** An array of distinct non-empty strings, none seen in {@code seen} before (which gains them). */
    private static List<String> strings(JsonNode node, String where, Set<String> seen, boolean mayBeEmpty)
            throws Invalid {
        if (node == null || !node.isArray() || !mayBeEmpty && node.isEmpty()) {
            throw new Invalid(where + " must be an array of strings, found " + ModelFileReader.describe(node));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = node.get(i);
            if (!v.isTextual() || v.textValue().isEmpty()) {
                throw new Invalid(where + "[" + i + "] must be a non-empty string, found " + ModelFileReader.describe(v));
            }
            if (!seen.add(v.textValue())) {
                throw new Invalid(where + "[" + i + "] repeats " + ModelFileReader.describe(v)
                        + "; every category is named once");
            }
            out.add(v.textValue());
        }
        return out;
    }
}
