package dev.descent.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The mistakes a hand-written convolution's backward pass makes, each caught by the gradient
 * check in float64 and blamed on the layer that makes it: a network of a correct convolution, a
 * hand-written layer with the mistake, then a dense layer. The tensors below the mistake fail
 * through it, and the check names the layer whose input gradient lets the error in; a mistake in
 * a layer's own weight gradient fails that tensor. The same hand-written layers without a mistake
 * pass, so each failure is the mistake's.
 */
class ConvolutionBugsTest {
    private static final Random RNG = new Random(234);
    private static final Shape IMAGE = new Shape(2, 6, 6);

    /** conv (2x6x6 -> 3x6x6) tanh, the layer under test, tanh, flatten, dense to 3 classes. */
    private static Network network(Layer underTest, Shape below, Shape above) {
        Conv2d first = new Conv2d(Conv2d.Geometry.of(IMAGE, below.channels(), 3, 1, 1),
                Checks.random(RNG, below.channels(), IMAGE.channels() * 9), Checks.random(RNG, 1, below.channels()));
        return Network.builder(IMAGE).add(first).add(new Activation.Tanh()).add(underTest).add(new Activation.Tanh())
                .flatten().add(new Dense(Checks.random(RNG, above.size(), 3), Checks.random(RNG, 1, 3))).build();
    }

    private static NaiveConv conv(Conv2d.Geometry g, NaiveConv.Bug bug) {
        return new NaiveConv(g, Checks.random(RNG, g.filters(), g.patch()), Checks.random(RNG, 1, g.filters()), bug);
    }

    private static GradientCheckReport check(Network network) {
        Matrix x = Checks.random(RNG, 4, IMAGE.size());
        return new GradientCheck().check(network, new SoftmaxCrossEntropy(Reduction.MEAN), x, new int[] {0, 1, 2, 1});
    }

    private static GradientCheckReport checkConv(NaiveConv.Bug bug, int stride, int padding) {
        Conv2d.Geometry g = new Conv2d.Geometry(3, 6, 6, 4, 3, stride, padding);
        return check(network(conv(g, bug), g.input(), g.output()));
    }

    /** The layer blamed for letting a wrong gradient into the layers below it, and what fails. */
    private static void assertBlamed(GradientCheckReport report, int layer, String... failing) {
        assertFalse(report.passed(), report.toString());
        assertNotNull(report.blame(), report.toString());
        assertEquals(layer, report.blame().layer() + 1, report.toString());
        for (String tensor : failing) {
            assertFalse(report.tensor(tensor).passed(), tensor + ": " + report);
        }
        assertTrue(report.summary().contains("layer " + layer), report.summary());
    }

    @Test
    void theHandWrittenLayersWithoutAMistakePass() {
        assertTrue(checkConv(NaiveConv.Bug.NONE, 2, 1).passed());
        assertTrue(checkConv(NaiveConv.Bug.NONE, 1, 1).passed());
        PoolWindow w = new PoolWindow(3, 6, 6, 2, 2);
        assertTrue(check(network(new NaiveMaxPool(w, false), w.input(), w.output())).passed());
    }

    @Test
    void aFlippedKernelInTheInputGradientIsBlamedOnItsLayer() {
        assertBlamed(checkConv(NaiveConv.Bug.FLIPPED_KERNEL, 1, 1), 3, "conv1.W", "conv1.b");
    }

    @Test
    void paddingOffByOneInTheInputGradientIsBlamedOnItsLayer() {
        assertBlamed(checkConv(NaiveConv.Bug.PADDING_OFF_BY_ONE, 1, 1), 3, "conv1.W");
    }

    @Test
    void aStrideIgnoredInBackwardFailsTheLayersWeightsAndIsBlamedOnIt() {
        GradientCheckReport report = checkConv(NaiveConv.Bug.STRIDE_IGNORED, 2, 1);
        assertBlamed(report, 3, "conv1.W");
        assertFalse(report.tensor("conv3.W").passed(), report.toString());
        assertTrue(report.tensor("conv3.b").passed(), "the bias does not depend on the stride: " + report);
    }

    @Test
    void poolingsGradientSentToEveryInputIsBlamedOnThePooling() {
        PoolWindow w = new PoolWindow(3, 6, 6, 2, 2);
        GradientCheckReport report = check(network(new NaiveMaxPool(w, NaiveMaxPool.GRADIENT_TO_ALL), w.input(),
                w.output()));
        assertBlamed(report, 3, "conv1.W", "conv1.b");
        assertTrue(report.blame().toString().contains("maxpool") || report.summary().contains("maxpool"),
                report.summary());
    }

    /** The layers Descent trains with, checked in a network the same way: every tensor agrees. */
    @Test
    void descentsOwnConvolutionAndPoolingPass() {
        Network network = Network.builder(IMAGE).conv(3, 3, 1, 1).add(new Activation.Tanh()).maxPool(2, 2)
                .conv(4, 3, 2, 1).add(new Activation.Tanh()).avgPool(2, 1).dense(3).build();
        dev.descent.init.Initializer.XAVIER.initialize(network, 3);
        GradientCheckReport report = check(network);
        assertTrue(report.passed(), report.toString());
        assertEquals(List.of("conv1.W", "conv1.b", "conv2.W", "conv2.b", "W1", "b1"),
                report.tensors().stream().map(t -> t.name()).toList());
    }
}
