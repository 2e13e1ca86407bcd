package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The fast path of {@link DecimalCell} gives exactly what {@link Double#parseDouble} gives. */
class DecimalCellTest {
    @Provide
    Arbitrary<String> decimals() {
        Arbitrary<String> sign = Arbitraries.of("", "-", "+");
        Arbitrary<String> whole = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(17);
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(17);
        Arbitrary<String> exponent = Arbitraries.of("", "e3", "E-7", "e+300", "e-320");
        return Combinators.combine(sign, whole, fraction, exponent).as((s, w, f, e) ->
                s + (w.isEmpty() && f.isEmpty() ? "0" : w) + (f.isEmpty() ? "" : "." + f) + e);
    }

    @Property(tries = 2000)
    void agreesWithParseDoubleToTheBit(@ForAll("decimals") String s) {
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(DecimalCell.parse(s)), s);
    }
}
