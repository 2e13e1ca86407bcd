package dev.descent.network;

import dev.descent.layers.Conv2d;
import dev.descent.layers.PoolWindow;
import dev.descent.layers.Shape;
import dev.descent.tensor.ShapeException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One item of a network's hidden layers as a user writes it, in the order the data flows, each
 * followed by the activation where it has weights:
 * <pre>
 *   128            a dense layer of 128 units                      nn.Linear(in, 128), then the activation
 *   conv32k3       32 filters of 3x3, stride 1, no padding        nn.Conv2d(C, 32, 3), then the activation
 *   conv32k3p1     the same with one ring of zeros: 28x28 stays 28x28
 *   conv64k5s2p2   64 filters of 5x5, stride 2, padding 2 (s and p in either order)
 *   pool2          max pooling over 2x2 windows, stride 2          nn.MaxPool2d(2)
 *   pool3s2        max pooling over 3x3 windows, stride 2 (maxpool3s2 too)
 *   avgpool2       average pooling over 2x2 windows                nn.AvgPool2d(2)
 *   flatten        the end of the images; before the first dense layer it is implied
 * </pre>
 * so that {@code conv32k3p1,pool2,conv64k3p1,pool2,128} reads as the fmnist-cnn network: two
 * convolutions with ReLU, each max-pooled, then 128 dense units, then the classes' layer. The
 * images come first: a convolution or pooling after a dense layer or flatten is refused.
 */
public sealed interface LayerSpec extends Serializable {
    /** Whether this item works on images (a convolution or a pooling). */
    boolean image();

    /** A dense layer of {@code width} units. */
    record Dense(int width) implements LayerSpec {
        public Dense {
            if (width < 1 || width > MAX) {
                throw new IllegalArgumentException("a dense layer needs between 1 and " + MAX + " units, got " + width);
            }
        }

        @Override
        public boolean image() {
            return false;
        }

        @Override
        public String toString() {
            return Integer.toString(width);
        }
    }

    /** A convolution of {@code filters} filters of kernel×kernel, moved by stride, over the image padded by padding zeros. */
    record Conv(int filters, int kernel, int stride, int padding) implements LayerSpec {
        public Conv {
            if (filters < 1 || filters > MAX || kernel < 1 || kernel > MAX || stride < 1 || stride > MAX || padding < 0
                    || padding > MAX) {
                throw new IllegalArgumentException("a convolution needs 1 to " + MAX + " filters, a kernel and a stride "
                        + "of 1 to " + MAX + " and a padding of 0 to " + MAX);
            }
        }

        @Override
        public boolean image() {
            return true;
        }

        @Override
        public String toString() {
            return "conv" + filters + "k" + kernel + (stride != 1 ? "s" + stride : "") + (padding != 0 ? "p" + padding : "");
        }
    }

    /** Max (or average) pooling over size×size windows moved by stride. */
    record Pool(boolean max, int size, int stride) implements LayerSpec {
        public Pool {
            if (size < 1 || size > MAX || stride < 1 || stride > MAX) {
                throw new IllegalArgumentException("a pooling needs a size and a stride of 1 to " + MAX);
            }
        }

        @Override
        public boolean image() {
            return true;
        }

        @Override
        public String toString() {
            return (max ? "pool" : "avgpool") + size + (stride != size ? "s" + stride : "");
        }
    }

    /** The end of the images. */
    record Flatten() implements LayerSpec {
        @Override
        public boolean image() {
            return false;
        }

        @Override
        public String toString() {
            return "flatten";
        }
    }

    /** The largest width, filter count, kernel, stride or padding an item may give. */
    int MAX = 1_000_000;

    /** How each kind of item is written, for messages. */
    String GRAMMAR = "a width (128), a convolution conv<filters>k<size>[s<stride>][p<padding>] (conv32k3p1), "
            + "a pooling pool<size>[s<stride>] or avgpool<size>[s<stride>] (pool2), or flatten";

    /** Dense layers of these widths. */
    static List<LayerSpec> dense(List<Integer> widths) {
        List<LayerSpec> specs = new ArrayList<>();
        for (int w : widths) {
            specs.add(new Dense(w));
        }
        return List.copyOf(specs);
    }

    /**
     * The items of {@code text}, separated by commas ({@code none} or nothing for no hidden layer).
     *
     * @throws IllegalArgumentException whose message, to follow the quoted text, names the item that is
     *         wrong and why: {@code is not a list of layers: item 3, 'conv64x3', is not a width (128), ...}
     */
    static List<LayerSpec> parse(String text) {
        List<LayerSpec> specs = new ArrayList<>();
        if (text.isBlank() || text.trim().equalsIgnoreCase("none")) {
            return specs;
        }
        String[] items = text.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            if (item.isEmpty()) {
                throw new IllegalArgumentException("is not a list of layers: item " + (i + 1) + " is empty");
            }
            LayerSpec spec = LayerGrammar.item(item, i + 1);
            if (spec.image() && !specs.isEmpty() && !specs.get(specs.size() - 1).image()) {
                LayerSpec before = specs.get(specs.size() - 1);
                throw new IllegalArgumentException("has '" + item + "' (item " + (i + 1) + ") after '" + before
                        + "' (item " + i + "): convolutions and pooling work on the image, so they come before the "
                        + "dense layers and flatten");
            }
            specs.add(spec);
        }
        return List.copyOf(specs);
    }

    /** The items as {@link #parse} reads them, separated by commas: {@code conv32k3p1,pool2,128}. */
    static String format(List<LayerSpec> specs) {
        List<String> parts = new ArrayList<>();
        specs.forEach(s -> parts.add(s.toString()));
        return String.join(",", parts);
    }

    /** Whether any item works on images. */
    static boolean anyImage(List<LayerSpec> specs) {
        return specs.stream().anyMatch(LayerSpec::image);
    }

    /** The widths of the dense items, in order. */
    static List<Integer> widths(List<LayerSpec> specs) {
        List<Integer> widths = new ArrayList<>();
        for (LayerSpec s : specs) {
            if (s instanceof Dense d) {
                widths.add(d.width());
            }
        }
        return List.copyOf(widths);
    }

    /**
     * The network of these items for {@code inputs} values a row ({@code input}'s images when
     * given) and {@code outputs} classes or targets, {@code activation} after each convolution and
     * hidden dense layer, its parameters zero. Without image items it is exactly the
     * {@link Architecture} of their widths.
     *
     * @throws IllegalArgumentException naming the item and the shapes when an image item has no
     *         image, or does not fit the image it gets (a kernel larger than the padded image, a
     *         pooling window that does not tile it)
     */
    static Network build(Shape input, int inputs, List<LayerSpec> specs, String activation, int outputs) {
        if (!anyImage(specs)) {
            return new Architecture(inputs, widths(specs), activation, outputs).build();
        }
        size(input, inputs, specs, outputs); // every item fits, checked before anything is allocated
        Network.Builder b = Network.builder(input);
        for (LayerSpec spec : specs) {
            if (spec instanceof Conv c) {
                b.conv(c.filters(), c.kernel(), c.stride(), c.padding()).activation(activation);
            } else if (spec instanceof Pool p) {
                if (p.max()) {
                    b.maxPool(p.size(), p.stride());
                } else {
                    b.avgPool(p.size(), p.stride());
                }
            } else if (spec instanceof Flatten) {
                b.flatten();
            } else {
                b.dense(((Dense) spec).width()).activation(activation);
            }
        }
        return b.dense(outputs).build();
    }

    /**
     * What the network of {@link #build} holds, found from the shapes alone, without allocating it.
     *
     * @param parameters every weight and bias
     * @param values     the values of every layer's output for one row (the activations included):
     *                   what a row of a batch takes in the forward pass
     */
    record Size(long parameters, long values) {}

    /**
     * The {@link Size} of the network {@link #build} makes, checking every item against the
     * shape it gets, as build does.
     *
     * @throws IllegalArgumentException as build does
     */
    static Size size(Shape input, int inputs, List<LayerSpec> specs, int outputs) {
        if (anyImage(specs) && input == null) {
            throw new IllegalArgumentException("the layers " + format(specs) + " need images, but the input's shape is "
                    + "not known: give it as C,H,W (rows of 784 pixels of one channel: 1,28,28)");
        }
        if (anyImage(specs) && input.size() != inputs) {
            throw new IllegalArgumentException("images of " + input + " are " + input.size() + " values, but the "
                    + "rows have " + inputs);
        }
        Shape shape = anyImage(specs) ? input : null;
        long parameters = 0, values = 0, width = inputs;
        for (int i = 0; i < specs.size(); i++) {
            LayerSpec spec = specs.get(i);
            try {
                if (spec instanceof Conv c) {
                    Conv2d.Geometry g = Conv2d.Geometry.of(shape, c.filters(), c.kernel(), c.stride(), c.padding());
                    parameters += (long) g.filters() * g.patch() + g.filters();
                    shape = g.output();
                    values += 2L * shape.size(); // the convolution, then its activation
                } else if (spec instanceof Pool p) {
                    shape = PoolWindow.of(shape, p.size(), p.stride()).output();
                    values += shape.size();
                } else if (spec instanceof Flatten) {
                    shape = null;
                } else {
                    int w = ((Dense) spec).width();
                    parameters += (width + 1) * w;
                    values += 2L * w;
                    shape = null;
                }
            } catch (ShapeException e) {
                throw new IllegalArgumentException("item " + (i + 1) + ", '" + spec + "', does not fit its input "
                        + shape + ": " + e.getMessage());
            }
            width = shape != null ? shape.size() : spec instanceof Dense d ? d.width() : width;
        }
        return new Size(parameters + (width + 1) * outputs, values + outputs);
    }
}
