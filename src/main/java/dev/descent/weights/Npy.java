package dev.descent.weights;

import dev.descent.tensor.Dtype;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * NumPy's {@code .npy} array format (numpy.lib.format), versions 1.0, 2.0 and 3.0:
 * <pre>
 *   6 bytes   \x93NUMPY
 *   2 bytes   the version, major and minor
 *   2 or 4    the header's length H, little-endian (2 bytes in version 1, 4 in 2 and 3)
 *   H bytes   a Python dict literal: {'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }
 *             padded with spaces and a newline (latin-1; UTF-8 in version 3)
 *   the rest  the values, little-endian, row-major (column-major when fortran_order is True)
 * </pre>
 * The header is read by a parser for exactly that literal (three keys, each once; strings, True
 * or False, a tuple of whole numbers), never by evaluating it, and held to NumPy's own bound on
 * its length (10,000 bytes). Descent reads {@code <f4} and {@code <f8}.
 */
public final class Npy {
    private Npy() {}

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** NumPy's own bound on a header it will read (numpy.lib.format, max_header_size). */
    static final int MAX_HEADER = 10_000;

    /** A header that breaks the format; the caller adds the file and entry. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    /** What a header declares, and how many bytes it took with the preamble. */
    record Header(String descr, boolean fortranOrder, long[] shape, int length) {
        int itemSize() {
            return descr.equals("<f4") ? 4 : 8;
        }
    }

    /** Reads the preamble and header from {@code in}, reading nothing past them. */
    static Header readHeader(InputStream in) throws Invalid, IOException {
        byte[] pre = in.readNBytes(8);
        if (pre.length < 8 || !java.util.Arrays.equals(pre, 0, 6, MAGIC, 0, 6)) {
            throw new Invalid("not a .npy array (no \\x93NUMPY at the start)");
        }
        int major = pre[6], minor = pre[7];
        if (major < 1 || major > 3 || minor != 0) {
            throw new Invalid(".npy version " + (major & 0xff) + "." + (minor & 0xff) + "; Descent reads 1.0, 2.0 and 3.0");
        }
        byte[] len = in.readNBytes(major == 1 ? 2 : 4);
        if (len.length < (major == 1 ? 2 : 4)) {
            throw new Invalid("the .npy header ends early");
        }
        ByteBuffer lb = ByteBuffer.wrap(java.util.Arrays.copyOf(len, 4)).order(ByteOrder.LITTLE_ENDIAN);
        long h = Integer.toUnsignedLong(lb.getInt());
        if (h > MAX_HEADER) {
            throw new Invalid("the .npy header is " + h + " bytes, more than the " + MAX_HEADER + " allowed");
        }
        byte[] text = in.readNBytes((int) h);
        if (text.length < h) {
            throw new Invalid("the .npy header ends early");
        }
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header parsed = new DictParser(dict).parse();
        return new Header(parsed.descr(), parsed.fortranOrder(), parsed.shape(), 8 + len.length + (int) h);
    }

    /** The header's dict literal, and nothing more general. */
    private static final class DictParser {
        private final String s;
        private int at;

        DictParser(String s) {
            this.s = s;
        }

        Header parse() throws Invalid {
            expect('{');
            String descr = null;
            Boolean fortran = null;
            long[] shape = null;
            skipSpace();
            while (peek() != '}') {
                String key = string();
                expect(':');
                switch (key) {
                    case "descr" -> {
                        if (descr != null) {
                            throw new Invalid("the .npy header names 'descr' twice");
                        }
                        descr = string();
                    }
                    case "fortran_order" -> {
                        if (fortran != null) {
                            throw new Invalid("the .npy header names 'fortran_order' twice");
                        }
                        fortran = bool();
                    }
                    case "shape" -> {
                        if (shape != null) {
                            throw new Invalid("the .npy header names 'shape' twice");
                        }
                        shape = tuple();
                    }
                    default -> throw new Invalid("the .npy header has an unknown key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    at++;
                    skipSpace();
                } else if (peek() != '}') {
                    throw new Invalid("the .npy header is not a dict literal (at character " + at + ")");
                }
            }
            at++;
            skipSpace();
            if (at != s.length()) {
                throw new Invalid("the .npy header has more after its dict");
            }
            if (descr == null || fortran == null || shape == null) {
                throw new Invalid("the .npy header needs descr, fortran_order and shape");
            }
            if (!descr.equals("<f4") && !descr.equals("<f8")) {
                throw new Invalid("an array of dtype '" + descr + "'; Descent reads '<f4' (float32) and '<f8' (float64)");
            }
            return new Header(descr, fortran, shape, 0);
        }

        private char peek() throws Invalid {
            if (at >= s.length()) {
                throw new Invalid("the .npy header ends inside its dict");
            }
            return s.charAt(at);
        }

        private void skipSpace() {
            while (at < s.length() && (s.charAt(at) == ' ' || s.charAt(at) == '\n' || s.charAt(at) == '\t')) {
                at++;
            }
        }

        private void expect(char c) throws Invalid {
            skipSpace();
            if (peek() != c) {
                throw new Invalid("the .npy header is not a dict literal (expected '" + c + "' at character " + at + ")");
            }
            at++;
        }

        private String string() throws Invalid {
            skipSpace();
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw new Invalid("the .npy header is not a dict literal (expected a string at character " + at + ")");
            }
            int end = s.indexOf(quote, at + 1);
            if (end < 0 || end - at > 64) {
                throw new Invalid("the .npy header has an unterminated or overlong string");
            }
            String v = s.substring(at + 1, end);
            at = end + 1;
            return v;
        }

        private boolean bool() throws Invalid {
            skipSpace();
            if (s.startsWith("True", at)) {
                at += 4;
                return true;
            }
            if (s.startsWith("False", at)) {
                at += 5;
                return false;
            }
            throw new Invalid("the .npy header's fortran_order is not True or False");
        }

        private long[] tuple() throws Invalid {
            expect('(');
            List<Long> dims = new ArrayList<>();
            skipSpace();
            while (peek() != ')') {
                int start = at;
                while (at < s.length() && at - start < 19 && Character.isDigit(s.charAt(at))) {
                    at++;
                }
                if (at == start || (at < s.length() && Character.isDigit(s.charAt(at)))) {
                    throw new Invalid("the .npy header's shape is not a tuple of whole numbers");
                }
                dims.add(Long.parseLong(s.substring(start, at)));
                if (dims.size() > Limits.MAX_RANK) {
                    throw new Invalid("the .npy header's shape has more than " + Limits.MAX_RANK + " dimensions");
                }
                skipSpace();
                if (peek() == ',') {
                    at++;
                    skipSpace();
                } else if (peek() != ')') {
                    throw new Invalid("the .npy header's shape is not a tuple of whole numbers");
                }
            }
            at++;
            return dims.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /**
     * An array as version 1.0 writes it: the preamble, the dict padded with spaces and a newline
     * so that the values start at a multiple of 64 bytes, then the values little-endian, row-major.
     */
    static byte[] write(NamedArray array, Dtype dtype) throws IOException {
        int[] dims = array.shape();
        String dict = "{'descr': '" + (dtype == Dtype.FLOAT32 ? "<f4" : "<f8") + "', 'fortran_order': False, 'shape': "
                + tupleText(dims) + ", }";
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(total + array.values().length * 8);
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) header.length(), (byte) (header.length() >>> 8)});
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        SafeTensors.writeValues(out, array.values(), dtype);
        return out.toByteArray();
    }

    /** A shape as Python writes a tuple: {@code (3,)}, {@code (3, 4)}, {@code ()}. */
    static String tupleText(int[] dims) {
        if (dims.length == 1) {
            return "(" + dims[0] + ",)";
        }
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            b.append(i > 0 ? ", " : "").append(dims[i]);
        }
        return b.append(')').toString();
    }
}
