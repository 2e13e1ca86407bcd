package dev.descent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.layers.Dense;
import dev.descent.layers.Parameter;
import dev.descent.tensor.ShapeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkTest {
    @Test
    void parametersAreNamedAsInTheThread() {
        Network n = new Architecture(5, List.of(20), "relu", 10).build();
        assertEquals(List.of("W1", "b1", "W2", "b2"), n.parameters().stream().map(Parameter::name).toList());
        assertEquals(5 * 20 + 20 + 20 * 10 + 10, n.parameterCount());
        assertEquals("5 -> 20 relu -> 10 softmax", n.describe());
    }

    @Test
    void layersThatDoNotChainAreRefused() {
        var e = assertThrows(ShapeException.class, () -> new Network(5, List.of(new Dense(5, 3), new Dense(4, 2))));
        assertEquals("layer 2 (dense 4->2): dense layer 4->2 cannot follow a layer of width 3", e.getMessage());
    }
}
