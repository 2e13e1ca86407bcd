package dev.descent.cli;

import java.util.ArrayList;
import java.util.List;

/** Checks of flag values that picocli's type conversion cannot express, each with a clear message. */
final class Parse {
    private Parse() {}

    /** {@code 20} or {@code 128,64}: hidden layer widths; {@code none} or empty for no hidden layer. */
    static List<Integer> layers(String flag, String text) {
        List<Integer> widths = new ArrayList<>();
        if (text.isBlank() || text.equalsIgnoreCase("none")) {
            return widths;
        }
        for (String part : text.split(",", -1)) {
            int w;
            try {
                w = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw UserError.badValue(flag, text, "is not a list of layer widths such as 20 or 128,64");
            }
            if (w < 1 || w > 1_000_000) {
                throw UserError.badValue(flag, text, "has a width of " + w + "; widths must be between 1 and 1000000");
            }
            widths.add(w);
        }
        return widths;
    }

    static double positive(String flag, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw UserError.badValue(flag, format(value), "must be a positive number");
        }
        return value;
    }

    static int atLeastOne(String flag, int value) {
        if (value < 1) {
            throw UserError.badValue(flag, value, "must be at least 1");
        }
        return value;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
