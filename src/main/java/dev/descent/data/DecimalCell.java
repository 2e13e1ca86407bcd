package dev.descent.data;

/**
 * A CSV cell as a number: a plain decimal, optionally signed and with an exponent
 * ({@code -1.5}, {@code .5}, {@code 3.}, {@code 2e-3}), and nothing else. Java's own
 * {@link Double#parseDouble} also takes {@code 0x1p3}, {@code 2f}, {@code 1d}, {@code NaN} and
 * {@code Infinity}, which no spreadsheet writes and which would turn a typo into a number, so the
 * grammar is checked here first.
 */
final class DecimalCell {
    private DecimalCell() {}

    /** Exact powers of ten: a double holds 10^k exactly up to k = 22. */
    private static final double[] POW10 = new double[23];

    static {
        POW10[0] = 1;
        for (int k = 1; k < POW10.length; k++) {
            POW10[k] = POW10[k - 1] * 10;
        }
    }

    /**
     * The value of {@code s} (already trimmed), or NaN when it is not a decimal number. An
     * exponent too large gives an infinity, which the caller refuses.
     */
    static double parse(String s) {
        int n = s.length(), i = 0;
        if (n == 0) {
            return Double.NaN;
        }
        boolean negative = false;
        char c = s.charAt(0);
        if (c == '+' || c == '-') {
            negative = c == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0, fraction = 0;
        for (; i < n && isDigit(c = s.charAt(i)); i++, digits++) {
            mantissa = digits < 18 ? mantissa * 10 + (c - '0') : mantissa;
        }
        if (i < n && s.charAt(i) == '.') {
            for (i++; i < n && isDigit(c = s.charAt(i)); i++, digits++, fraction++) {
                mantissa = digits < 18 ? mantissa * 10 + (c - '0') : mantissa;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        boolean exponent = false;
        if (i < n && ((c = s.charAt(i)) == 'e' || c == 'E')) {
            exponent = true;
            i++;
            if (i < n && ((c = s.charAt(i)) == '+' || c == '-')) {
                i++;
            }
            int start = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return Double.NaN;
            }
        }
        if (i != n) {
            return Double.NaN;
        }
        if (!exponent && digits <= 15) {
            // Clinger's fast path: mantissa < 10^15 < 2^53 and 10^fraction are both exact, so one
            // correctly rounded division gives the correctly rounded value, as parseDouble would.
            double v = fraction == 0 ? mantissa : mantissa / POW10[fraction];
            return negative ? -v : v;
        }
        return Double.parseDouble(s); // the grammar above is a subset of Java's, with the same meaning
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
