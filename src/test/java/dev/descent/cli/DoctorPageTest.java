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
