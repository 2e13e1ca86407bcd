package dev.descent.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.init.Initializer;
import dev.descent.layers.Shape;
import dev.descent.recipe.Recipe;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerSpecTest {
    private static final Shape MNIST = new Shape(1, 28, 28);

    @Test
    void theGrammarReadsAsTheNetworkAndWritesBackTheSame() {
        List<LayerSpec> specs = LayerSpec.parse("conv32k3p1, pool2, Conv64K3P1s1,MaxPool2,avgpool3s1,flatten,128");
        assertEquals(List.of(new LayerSpec.Conv(32, 3, 1, 1), new LayerSpec.Pool(true, 2, 2),
                new LayerSpec.Conv(64, 3, 1, 1), new LayerSpec.Pool(true, 2, 2), new LayerSpec.Pool(false, 3, 1),
                new LayerSpec.Flatten(), new LayerSpec.Dense(128)), specs);
        assertEquals("conv32k3p1,pool2,conv64k3p1,pool2,avgpool3s1,flatten,128", LayerSpec.format(specs));
        assertEquals(List.of(new LayerSpec.Conv(8, 5, 2, 2)), LayerSpec.parse("conv8k5p2s2"));
        assertEquals(List.of(), LayerSpec.parse("none"));
    }

    /** fmnist-cnn as PyTorch counts it: 320 + 18,496 + 401,536 + 1,290. */
    @Test
    void theFashionCnnHasPyTorchsParametersAndShapes() {
        List<LayerSpec> specs = LayerSpec.parse("conv32k3p1,pool2,conv64k3p1,pool2,128");
        Network net = LayerSpec.build(MNIST, 784, specs, "relu", 10);
        assertEquals(421_642, net.parameterCount());
        assertEquals("1x28x28 -> conv32k3p1 relu -> pool2 -> conv64k3p1 relu -> pool2 -> flatten -> 128 relu "
                + "-> 10 softmax", net.describe());
        assertEquals(new Shape(64, 7, 7), net.outputShapes().get(5));
        LayerSpec.Size size = LayerSpec.size(MNIST, 784, specs, 10);
        assertEquals(421_642, size.parameters());
        long values = 0;
        int width = 784;
        for (var layer : net.layers()) {
            width = layer.outputSize(width);
            values += layer.kind().equals("flatten") ? 0 : width;
        }
        assertEquals(values, size.values(), "every layer's output, as the network holds them");
    }

    @Test
    void denseItemsAloneBuildTheSameNetworkAsTheirWidths() {
        Network a = LayerSpec.build(null, 5, LayerSpec.parse("20,7"), "tanh", 3);
        Network b = new Architecture(5, List.of(20, 7), "tanh", 3).build();
        Initializer.HE.initialize(a, 4);
        Initializer.HE.initialize(b, 4);
        assertEquals(b.describe(), a.describe());
        assertEquals(b.snapshot(), a.snapshot());
        assertEquals(null, a.inputShape());
    }

    @Test
    void aRecipeOfWidthsIsTheSameRecipeWrittenAsText() {
        Recipe widths = Recipe.forData().withLayers(64, 32), text = Recipe.forData().withLayers("64,32");
        assertEquals(widths.provenance(), text.provenance());
        assertEquals(widths.hidden(), text.hidden());
        assertEquals(widths.network(10, 3).snapshot(), text.network(10, 3).snapshot());
    }

    @Test
    void aRecipeOfImagesNeedsTheirShapeAndSaysSo() {
        Recipe r = Recipe.forData().withLayers("conv4k3,pool2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.network(784, 10));
        assertEquals("the layers conv4k3,pool2 need images, but the input's shape is not known: give it as C,H,W "
                + "(rows of 784 pixels of one channel: 1,28,28)", e.getMessage());
        assertEquals(4 * 13 * 13 * 10 + 10 + 40, r.withInputShape(MNIST).network(784, 10).parameterCount());
        e = assertThrows(IllegalArgumentException.class, () -> r.withInputShape(new Shape(1, 28, 29)).network(784, 10));
        assertEquals("images of 1x28x29 are 812 values, but the rows have 784", e.getMessage());
    }

    @Test
    void anItemThatDoesNotFitIsNamedWithItsShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.build(MNIST, 784,
                LayerSpec.parse("conv32k5,pool2,conv64k5,pool2,conv64k5"), "relu", 10));
        assertEquals("item 5, 'conv64k5', does not fit its input 64x4x4: its 5x5 kernel is larger than the 4x4 image "
                + "padded by 0 to 4x4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerSpec.build(MNIST, 784,
                LayerSpec.parse("conv8k3p1,pool2,pool2,pool2"), "relu", 10));
        assertEquals("item 4, 'pool2', does not fit its input 8x7x7: a 2x2 window with stride 2 does not tile 7x7: "
                + "7 − 2 is not a multiple of 2, and pooling has no padding", e.getMessage());
    }

    @Test
    void aMalformedItemIsNamed() {
        assertEquals("is not a list of layers: item 2, 'conv', is not " + LayerSpec.GRAMMAR,
                assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("8,conv")).getMessage());
        assertEquals("has a width of 99999999999; widths must be between 1 and 1000000",
                assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("99999999999")).getMessage());
        assertEquals("is not a list of layers: item 1, 'pool2s0', has a stride of 0; it must be between 1 and 1000000",
                assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("pool2s0")).getMessage());
    }
}
