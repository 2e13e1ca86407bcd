package dev.descent.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a crash never leaves half of one: the bytes go to a temporary file in the
 * target's directory, which is then renamed over the target in one step. The target follows the
 * output rules of {@link PathRules}: a symbolic link is written through (its target is replaced,
 * the link stays), and a directory, device, FIFO or socket is refused, never replaced.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the whole content of a file. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} with {@code body}; on any failure the target is left as it was and the
     * exception says why ({@link PathRules.PathException} for a target that is not a file to write).
     */
    public static void write(Path target, Body body) throws IOException {
        Path absolute = PathRules.target("output", target);
        Path dir = absolute.getParent();
        // Not Files.createTempFile: its owner-only permissions would stick to the renamed file.
        // A random name only to keep concurrent writers apart; CREATE_NEW refuses an existing file or
        // link, so it need not be unguessable, and a SecureRandom's start costs 10 ms of a run.
        Path tmp = dir.resolve("." + absolute.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW))) {
                body.writeTo(out);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
