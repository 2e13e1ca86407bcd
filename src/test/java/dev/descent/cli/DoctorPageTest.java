package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor's page shows the step the run's own optimizer would take, with the run's constants:
 * its first per-layer sample equals the one {@code train} records with the same flags.
 */
class DoctorPageTest {
    private static final Pattern EVENTS = Pattern.compile("<script type=\"application/json\" id=\"events\">(.*?)</script>",
            Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theDoctorsPageUsesTheRunsOptimizerConstants() throws Exception {
        JsonNode doctor = firstLayers("doctor", "--weight-decay", "0.5");
        JsonNode train = firstLayers("train", "--weight-decay", "0.5", "--no-plot");
        JsonNode plain = firstLayers("doctor");
        assertEquals(train.get("updateRatio"), doctor.get("updateRatio"));
        assertNotEquals(plain.get("updateRatio"), doctor.get("updateRatio"), "weight decay changes the first update");
    }

    /**
     * On a convolutional network the page's figures are per weight tensor (conv1.W beside W1, the
     * biases left out) and its dead ReLUs are counted per filter after the convolution (of 4, as the
     * doctor counts them), per unit after the dense layer.
     */
    @Test
    void aConvolutionalNetworksPageCountsFiltersWhereDenseLayersCountUnits() throws Exception {
        Path bars = dir.resolve("bars.csv");
        ImageLayersCommandTest.writeBars(bars, 200, 1);
        JsonNode layers = firstLayers("train", "--data", bars.toString(), "--input-shape", "1,6,6", "--layers",
                "conv4k3p1,pool2,8", "--no-plot");
        assertEquals("[\"conv1.W\",\"W1\",\"W2\"]", layers.get("tensors").toString());
        JsonNode units = layers.get("units");
        assertEquals(2, units.size(), units.toString());
        assertEquals(List.of("layer 2 (relu)", "4", "filters"), List.of(units.get(0).get("layer").asText(),
                units.get(0).get("count").asText(), units.get(0).get("of").asText()));
        assertEquals(List.of("layer 6 (relu)", "8", "units"), List.of(units.get(1).get("layer").asText(),
                units.get(1).get("count").asText(), units.get(1).get("of").asText()));
    }

    /** The first per-layer figures of the page of {@code descent COMMAND --epochs 3 FLAGS --report FILE}. */
    private JsonNode firstLayers(String command, String... flags) throws Exception {
        Path report = Files.createTempFile(dir, command, ".html");
        List<String> args = new ArrayList<>(List.of(command, "--epochs", "3", "--report", report.toString()));
        args.addAll(List.of(flags));
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertTrue(code == 0 || code == 1, err.toString()); // the doctor exits 1 when it finds a problem
        Matcher m = EVENTS.matcher(Files.readString(report));
        assertTrue(m.find(), "the report holds its events");
        for (JsonNode event : new ObjectMapper().readTree(m.group(1))) {
            if (event.get("type").asText().equals("layers")) {
                return event;
            }
        }
        throw new AssertionError("no per-layer figures in " + report);
    }
}
