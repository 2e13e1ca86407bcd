package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.train.History;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 25, point 10: a disk that fills while the history is followed leaves no history cut off mid-line. */
class LiveOutputsTest {
    @TempDir
    Path dir;

    /** A writer that takes {@code room} characters and then fails as a full disk does. */
    static Writer filling(Path file, int room) throws IOException {
        return new FilterWriter(Files.newBufferedWriter(file)) {
            int left = room;

            @Override
            public void write(String s, int off, int len) throws IOException {
                int n = Math.min(len, left);
                super.write(s, off, n);
                left -= n;
                if (n < len) {
                    super.flush();
                    throw new IOException("No space left on device");
                }
            }
        };
    }

    static History.Row row(int epoch) {
        return new History.Row(epoch, 1.0 / (epoch + 1), 0.5, Double.NaN, Double.NaN, 0.1);
    }

    @Test
    void aFullDiskDuringTrainingRemovesTheHistoryBeingFollowedAndLetsTrainingGoOn() throws IOException {
        Path history = dir.resolve("h.csv");
        LiveOutputs live = new LiveOutputs(history, null, null, List.of(), 0, p -> filling(p, 40));
        live.onStart(null, 5, row(0));
        live.onEpoch(row(1));
        assertTrue(Files.exists(history), "followed while there is room");
        for (int e = 2; e <= 5; e++) {
            live.onEpoch(row(e)); // the disk fills: nothing thrown, training goes on
        }
        assertFalse(Files.exists(history), "not left cut off mid-line: " + (Files.exists(history) ? Files.readString(history) : ""));
        live.onEnd(null);
    }

    @Test
    void throughALinkTheFileGoesAndTheLinkStays() throws IOException {
        Path target = dir.resolve("real.csv"), link = Files.createSymbolicLink(dir.resolve("h.csv"), target);
        LiveOutputs live = new LiveOutputs(link, null, null, List.of(), 0, p -> filling(p, 30));
        live.onStart(null, 3, row(0));
        live.onEpoch(row(1));
        live.onEpoch(row(2));
        assertFalse(Files.exists(target));
        assertTrue(Files.isSymbolicLink(link), "the link stays, as the rules for outputs say");
        assertEquals(target, Files.readSymbolicLink(link));
    }
}
