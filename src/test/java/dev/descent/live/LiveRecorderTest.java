package dev.descent.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.network.Network;
import dev.descent.train.History;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LiveRecorderTest {
    /** The page's learning rate is the one each epoch trained with, as a schedule sets it; epoch 0 shows epoch 1's. */
    @Test
    void eachEpochCarriesTheRateItTrainedWith() throws Exception {
        RunLog log = new RunLog();
        LiveRecorder r = new LiveRecorder(log, null, epoch -> 0.5 / epoch, 1, List.of());
        Network n = Network.builder(2).dense(2).build();
        r.onStart(n, 3, new History.Row(0, 1, 0.5, Double.NaN, Double.NaN, 0));
        for (int e = 1; e <= 3; e++) {
            r.onEpoch(new History.Row(e, 1.0 / e, 0.5, Double.NaN, Double.NaN, 0.1));
        }
        List<Double> rates = new ArrayList<>();
        Matcher m = Pattern.compile("\"learningRate\":([0-9.Ee+-]+)").matcher(String.join("\n", log.since(0, 0)));
        while (m.find()) {
            rates.add(Double.parseDouble(m.group(1)));
        }
        assertEquals(List.of(0.5, 0.5, 0.25, 0.5 / 3), rates);
    }

    /**
     * The per-batch points are kept as numbers while training and written when read: in their place
     * among the other events, as {@link Events#batch} writes them, the same for every reader.
     */
    @Test
    void batchPointsAreWrittenWhenReadInTheirPlace() throws Exception {
        RunLog log = new RunLog();
        LiveRecorder r = new LiveRecorder(log, null, epoch -> 0.1, 1, List.of());
        r.onStart(Network.builder(2).dense(2).build(), 1, new History.Row(0, 2, 0.5, Double.NaN, Double.NaN, 0));
        r.onBatch(1, 1, 2, 10, 2.0);
        r.onBatch(1, 2, 2, 20, Double.NaN);
        r.onEpoch(new History.Row(1, 1.5, 0.5, Double.NaN, Double.NaN, 0.1));

        List<String> events = log.since(0, 0);
        assertEquals(4, events.size(), events.toString());
        assertEquals(List.of("epoch", "batch", "batch", "epoch"),
                events.stream().map(e -> e.replaceAll(".*\"type\":\"([a-z]+)\".*", "$1")).toList());
        assertEquals("{\"type\":\"batch\",\"at\":0.5,\"smoothed\":2.0,\"loss\":2.0}", events.get(1));
        assertEquals("{\"type\":\"batch\",\"at\":1.0,\"smoothed\":2.0,\"loss\":null}", events.get(2),
                "a loss that is not finite is a gap, and leaves the average as it was");
        assertEquals(events, log.since(0, 0), "a second reader reads the same");
        assertEquals("[" + String.join(",\n", events) + "]", log.toJson());
    }
}
