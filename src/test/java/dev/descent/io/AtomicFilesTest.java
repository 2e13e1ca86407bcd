package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFileAndNoLitter() throws IOException {
        Path target = dir.resolve("model.json");
        Files.writeString(target, "the good old model");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half of a new mod".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("the good old model", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void aWriteThatSucceedsReplacesTheFileWhole() throws IOException {
        Path target = dir.resolve("h.csv");
        AtomicFiles.write(target, out -> out.write("epoch,loss\n".getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(target, out -> out.write("epoch,loss,accuracy\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("epoch,loss,accuracy\n", Files.readString(target));
    }
}
