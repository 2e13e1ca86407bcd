package dev.descent.reliability;

import dev.descent.data.CsvDataset;
import dev.descent.data.DataFormatException;
import dev.descent.data.IdxFile;
import dev.descent.modelfile.ModelFile;
import dev.descent.modelfile.ModelFileException;
import dev.descent.init.Initializer;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Dtype;
import dev.descent.weights.TensorFile;
import dev.descent.weights.WeightsFileException;
import dev.descent.weights.WeightsFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and mutated inputs thrown at every parser: whatever comes in, the only failure allowed is
 * the tool's own clear error (DataFormatException, ModelFileException, WeightsFileException), never
 * another exception.
 */
class ParserFuzzTest {
    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("descent-fuzz");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    static final String VALID_CSV = "a,b,label\n1,2,x\n3.5,-4,y\n0,0,x\n";
    static final String VALID_MODEL = "{\"format\": \"descent-model\", \"version\": 1, \"inputs\": 2, \"layers\": ["
            + "{\"type\": \"dense\", \"weights\": [[1.0, -1.0], [0.5, 2.0]], \"bias\": [0.0, -1.0]}, {\"type\": \"relu\"}, "
            + "{\"type\": \"dense\", \"weights\": [[1.0, 0.0], [0.0, 1.0]], \"bias\": [0.25, 0.0]}], "
            + "\"classes\": [\"cat\", \"dog\"], \"training\": {\"seed\": 1}}";

    static byte[] validIdx() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(2);
        out.writeInt(3);
        out.writeInt(3);
        out.write(new byte[18]);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    /** Flips, deletes, inserts or truncates at random places of a valid input. */
    static Arbitrary<byte[]> mutations(byte[] valid) {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(6).map(ops -> {
            byte[] b = valid.clone();
            for (int op : ops) {
                if (b.length == 0) {
                    break;
                }
                int at = op % b.length;
                switch (op % 4) {
                    case 0 -> b[at] ^= (byte) (1 << (op % 8));
                    case 1 -> b = java.util.Arrays.copyOf(b, at);
                    case 2 -> b[at] = (byte) (op >>> 8);
                    default -> {
                        byte[] c = new byte[b.length + 1];
                        System.arraycopy(b, 0, c, 0, at);
                        c[at] = (byte) "0,-.e\n\"[]{}9NaN".charAt(op % 15);
                        System.arraycopy(b, at, c, at + 1, b.length - at);
                        b = c;
                    }
                }
            }
            return b;
        });
    }

    @Provide
    Arbitrary<byte[]> csvInputs() {
        return Arbitraries.oneOf(mutations(VALID_CSV.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.strings().withChars("01,.-e\n abNaInf").ofMaxLength(120).map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<byte[]> idxInputs() throws IOException {
        return Arbitraries.oneOf(mutations(validIdx()), Arbitraries.bytes().array(byte[].class).ofMaxSize(64));
    }

    @Provide
    Arbitrary<byte[]> gzipIdxInputs() throws IOException {
        return mutations(gzip(validIdx()));
    }

    @Provide
    Arbitrary<byte[]> modelInputs() {
        return Arbitraries.oneOf(mutations(VALID_MODEL.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
    }

    /** A valid weights file of 2 -> 3 relu -> 2, as Descent writes it in the format {@code name} says. */
    static byte[] validWeights(String name) throws IOException {
        Path f = Files.createTempFile("descent-fuzz", name);
        Network net = new Architecture(2, List.of(3), "relu", 2).build();
        Initializer.HE.initialize(net, 1);
        WeightsFiles.write(net, Dtype.FLOAT32, Map.of("format", "pt"), f);
        byte[] bytes = Files.readAllBytes(f);
        Files.delete(f);
        return bytes;
    }

    @Provide
    Arbitrary<byte[]> safetensorsInputs() throws IOException {
        return Arbitraries.oneOf(mutations(validWeights(".safetensors")), Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
    }

    @Provide
    Arbitrary<byte[]> npzInputs() throws IOException {
        return Arbitraries.oneOf(mutations(validWeights(".npz")), Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
    }

    /** Loads into the network it was written for, and reads every tensor it declares whatever its name. */
    static void readWeights(Path f) {
        try {
            WeightsFiles.load(new Architecture(2, List.of(3), "relu", 2).build(), f);
        } catch (WeightsFileException expected) {
            // the tool's own, clear error
        }
        try (TensorFile file = WeightsFiles.open(f)) {
            for (var t : file.tensors()) {
                file.read(t);
            }
        } catch (WeightsFileException expected) {
            // likewise
        }
    }

    @Property(tries = 400)
    void safetensorsFailOnlyWithTheirOwnError(@ForAll("safetensorsInputs") byte[] content) throws IOException {
        readWeights(write("fuzz.safetensors", content));
    }

    @Property(tries = 400)
    void npzFailOnlyWithItsOwnError(@ForAll("npzInputs") byte[] content) throws IOException {
        readWeights(write("fuzz.npz", content));
    }

    private static Path write(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    @Property(tries = 400)
    void csvFailsOnlyWithItsOwnError(@ForAll("csvInputs") byte[] content) throws IOException {
        Path f = write("fuzz.csv", content);
        try {
            CsvDataset.read(f);
        } catch (DataFormatException expected) {
            // the tool's own, clear error
        }
        try {
            CsvDataset.readFeatures(f, CsvDataset.Options.DEFAULT, 2);
        } catch (DataFormatException expected) {
            // likewise
        }
    }

    @Property(tries = 400)
    void idxFailsOnlyWithItsOwnError(@ForAll("idxInputs") byte[] content) throws IOException {
        try {
            IdxFile.read(write("fuzz-idx3-ubyte", content));
        } catch (DataFormatException expected) {
            // the tool's own, clear error
        }
    }

    @Property(tries = 300)
    void gzippedIdxFailsOnlyWithItsOwnError(@ForAll("gzipIdxInputs") byte[] content) throws IOException {
        try {
            IdxFile.read(write("fuzz-idx3-ubyte.gz", content));
        } catch (DataFormatException expected) {
            // the tool's own, clear error
        }
    }

    @Property(tries = 400)
    void modelFilesFailOnlyWithTheirOwnError(@ForAll("modelInputs") byte[] content) throws IOException {
        try {
            ModelFile.read(write("fuzz.json", content));
        } catch (ModelFileException expected) {
            // the tool's own, clear error
        }
    }
}
