package dev.descent.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a crash never leaves half of one: the bytes go to a temporary file in the
 * target's directory, which is then renamed over the target in one step. The target follows the
 * output rules of {@link PathRules}: a symbolic link is written through (its target is replaced,
 * the link stays), and a directory, device, FIFO or socket is refused, never replaced.
 *
 * <p>A program stopped while it writes (SIGTERM, or Ctrl-C's SIGINT) leaves no temporary file
 * either: a shutdown hook, installed with the first write, gives the writes under way up to
 * {@link #FINISH_MILLIS} to be renamed into place (so a model being saved is not lost to a late
 * Ctrl-C), then removes the temporary files of those that have not. Either way the target is the
 * old file or the whole new one. Only SIGKILL, which runs no hook, can leave one behind.
 */
public final class AtomicFiles {
    /** How long the shutdown hook waits for the writes under way to finish before it removes their files. */
    public static final long FINISH_MILLIS = 5_000;

    /** The temporary files of the writes under way; guarded by itself. */
    private static final Set<Path> WRITING = new HashSet<>();
    private static boolean hooked;

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
        begin(tmp);
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
            try {
                Files.deleteIfExists(tmp);
            } finally {
                end(tmp);
            }
        }
    }

    /** Records a temporary file before it is created, so that a stop from now on removes it. */
    private static void begin(Path tmp) {
        synchronized (WRITING) {
            if (!hooked) {
                try {
                    Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::stopping, "descent-temporary-files"));
                } catch (IllegalStateException shuttingDown) {
                    // the program is already stopping: this write is one a stop waits for (a checkpoint on Ctrl-C)
                }
                hooked = true;
            }
            WRITING.add(tmp);
        }
    }

    private static void end(Path tmp) {
        synchronized (WRITING) {
            WRITING.remove(tmp);
            WRITING.notifyAll();
        }
    }

    /** The shutdown hook: waits for the writes under way, up to {@link #FINISH_MILLIS}, then removes what is left. */
    private static void stopping() {
        List<Path> left;
        synchronized (WRITING) {
            long until = System.nanoTime() + FINISH_MILLIS * 1_000_000;
            try {
                for (long wait; !WRITING.isEmpty() && (wait = until - System.nanoTime()) > 0; ) {
                    WRITING.wait(Math.max(1, wait / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            left = new ArrayList<>(WRITING);
        }
        for (Path tmp : left) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // nothing more can be done while the program stops
            }
        }
    }
}
