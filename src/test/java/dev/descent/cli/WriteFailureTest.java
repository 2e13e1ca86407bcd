package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Issue 25, point 10: a failed write says why, not only which file. */
class WriteFailureTest {
    @Test
    void theFileSystemsReasonIsNamedWhereItsExceptionGivesOnlyThePath() {
        Path m = Path.of("/data/m.json");
        // what Files.newOutputStream throws for a directory this user may not write: the path alone
        assertEquals("--save: cannot write /data/m.json (permission denied: /data/.m.json.1f.tmp); it is left as it was",
                new WriteFailure("--save", m, new AccessDeniedException("/data/.m.json.1f.tmp")).getMessage());
        assertEquals("--save: cannot write /data/m.json (no such file or directory: /data/.m.json.1f.tmp); it is left as "
                + "it was", new WriteFailure("--save", m, new NoSuchFileException("/data/.m.json.1f.tmp")).getMessage());
        assertEquals("--save: cannot write /data/m.json (/data/.m.json.1f.tmp: Read-only file system); it is left as it was",
                new WriteFailure("--save", m, new FileSystemException("/data/.m.json.1f.tmp", null, "Read-only file system"))
                        .getMessage());
    }
}
