package dev.descent.network;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How one item of {@link LayerSpec#parse} is read, case-insensitively; each message follows the quoted list. */
final class LayerGrammar {
    private LayerGrammar() {}

    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern CONV = Pattern.compile("conv(\\d+)k(\\d+)((?:[sp]\\d+)*)");
    private static final Pattern POOL = Pattern.compile("(max|avg)?pool(\\d+)(?:s(\\d+))?");
    private static final Pattern SUFFIX = Pattern.compile("([sp])(\\d+)");

    /** Item {@code index} (from 1), trimmed and not empty. */
    static LayerSpec item(String item, int index) {
        String s = item.toLowerCase(Locale.ROOT);
        String where = "is not a list of layers: item " + index + ", '" + item + "',";
        if (NUMBER.matcher(s).matches()) {
            if (s.length() > 9 || Integer.parseInt(s) < 1 || Integer.parseInt(s) > LayerSpec.MAX) {
                throw new IllegalArgumentException("has a width of " + s.replaceFirst("^0+(?=.)", "")
                        + "; widths must be between 1 and " + LayerSpec.MAX);
            }
            return new LayerSpec.Dense(Integer.parseInt(s));
        }
        if (s.equals("flatten")) {
            return new LayerSpec.Flatten();
        }
        Matcher conv = CONV.matcher(s);
        if (conv.matches()) {
            int stride = -1, padding = -1;
            Matcher m = SUFFIX.matcher(conv.group(3));
            while (m.find()) {
                boolean isStride = m.group(1).equals("s");
                if (isStride ? stride >= 0 : padding >= 0) {
                    throw new IllegalArgumentException(where + " gives its " + (isStride ? "stride" : "padding")
                            + " twice");
                }
                int v = bounded(m.group(2), where, isStride ? "stride" : "padding", isStride ? 1 : 0);
                if (isStride) {
                    stride = v;
                } else {
                    padding = v;
                }
            }
            return new LayerSpec.Conv(bounded(conv.group(1), where, "filter count", 1),
                    bounded(conv.group(2), where, "kernel size", 1), Math.max(stride, 1), Math.max(padding, 0));
        }
        Matcher pool = POOL.matcher(s);
        if (pool.matches()) {
            int size = bounded(pool.group(2), where, "window size", 1);
            return new LayerSpec.Pool(!"avg".equals(pool.group(1)), size,
                    pool.group(3) == null ? size : bounded(pool.group(3), where, "stride", 1));
        }
        throw new IllegalArgumentException(where + " is not " + LayerSpec.GRAMMAR);
    }

    /** A number of an item, between {@code least} and {@link LayerSpec#MAX}. */
    private static int bounded(String digits, String where, String what, int least) {
        if (digits.length() > 9 || Integer.parseInt(digits) > LayerSpec.MAX || Integer.parseInt(digits) < least) {
            throw new IllegalArgumentException(where + " has a " + what + " of " + digits.replaceFirst("^0+(?=.)", "")
                    + "; it must be between " + least + " and " + LayerSpec.MAX);
        }
        return Integer.parseInt(digits);
    }
}
