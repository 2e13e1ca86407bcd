package dev.descent.cli;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An output that could not be written (a full disk, a directory removed meanwhile): one line naming
 * the option and the file, exit code 74, and the file left as it was before.
 */
final class WriteFailure extends RuntimeException {
    WriteFailure(String flag, Path path, IOException cause) {
        super(flag + ": cannot write " + path + " (" + describe(cause) + "); it is left as it was", cause);
    }

    /** Standard output failed: {@code what} is incomplete. */
    WriteFailure(String flag, String what) {
        super(flag + ": standard output could not be written (a full disk, or closed?); " + what + " incomplete");
    }

    /**
     * Why a write failed, in words: the file system's own exceptions say only the path for the
     * common causes (permission, a missing directory), so those are named.
     */
    static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "it exists already"
                    : e.getClass().getSimpleName();
            return why + ": " + f.getFile();
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
