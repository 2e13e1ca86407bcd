package dev.descent.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the paths a command reads and writes mean, in one place (docs/reliability.md):
 * <ul>
 *   <li>{@code -} is the standard stream (input for an input, output for an output). It is never a
 *       file, so it is exempt from the same-file rule.</li>
 *   <li>An output is a regular file. A symbolic link to a regular file (or to a name not yet
 *       created in an existing directory) is written through: its target is replaced and the link
 *       stays. A directory, device, FIFO or socket, or a link to one, is refused: Descent writes a
 *       whole file to a temporary name and renames it into place, which would replace such a thing
 *       with a regular file.</li>
 *   <li>No output is an input, and no two outputs are the same file: files are compared after
 *       links, by their file system identity (so hard links count as the same file).</li>
 * </ul>
 * Every refusal is a {@link PathException} whose message names the option and the path.
 */
public final class PathRules {
    /** The name of the standard stream. */
    public static final String STANDARD_STREAM = "-";

    private final List<Use> uses = new ArrayList<>();

    /** One use of a path: the option that names it, the path, and whether it is written. */
    private record Use(String flag, Path path, boolean output) {}

    /** A path that breaks a rule; the message is one line naming the option and the path. */
    public static final class PathException extends IOException {
        public PathException(String message) {
            super(message);
        }
    }

    /** Whether {@code path} is {@code -}, the standard stream. */
    public static boolean isStandardStream(Path path) {
        return path != null && path.toString().equals(STANDARD_STREAM);
    }

    /** Records a path that is read (a file, or each file of a directory that is read). Null and {@code -} are ignored. */
    public PathRules input(String flag, Path path) {
        if (path != null && !isStandardStream(path)) {
            uses.add(new Use(flag, path, false));
        }
        return this;
    }

    /** Records a path that is written. Null and {@code -} are ignored. */
    public PathRules output(String flag, Path path) {
        if (path != null && !isStandardStream(path)) {
            uses.add(new Use(flag, path, true));
        }
        return this;
    }

    /** Checks every output (see {@link #target}) and that no output is an input or another output. */
    public void check() throws PathException {
        List<Object> keys = new ArrayList<>();
        for (Use u : uses) {
            keys.add(u.output() ? identity(target(u.flag(), u.path())) : identityIfExists(u.path()));
        }
        for (int i = 0; i < uses.size(); i++) {
            Use a = uses.get(i);
            if (!a.output() || keys.get(i) == null) {
                continue;
            }
            for (int j = 0; j < uses.size(); j++) {
                Use b = uses.get(j);
                if (j == i || !Objects.equals(keys.get(i), keys.get(j)) || (b.output() && j > i)) {
                    continue;
                }
                if (!b.output()) {
                    throw new PathException(a.flag() + ": " + a.path() + " is the " + b.flag() + " file"
                            + (a.path().equals(b.path()) ? "" : " " + b.path())
                            + "; Descent never overwrites its input, give another file name");
                }
                throw new PathException(a.flag() + ": " + a.path() + " is also the " + b.flag() + " file"
                        + (a.path().equals(b.path()) ? "" : " " + b.path()) + "; give each output its own file");
            }
        }
    }

    /**
     * Where writing {@code path} really puts a file: its real path after links, whether or not it
     * exists yet. Refuses a directory, a device, a FIFO or a socket (or a link to one), a link that
     * leads nowhere, and a directory that does not exist or cannot be written.
     */
    public static Path target(String flag, Path path) throws PathException {
        String name = flag + ": " + path;
        if (Files.isDirectory(path)) {
            throw new PathException(name + " is a directory; give a file name");
        }
        if (Files.exists(path)) {
            if (!Files.isRegularFile(path)) {
                throw new PathException(name + " is a device, FIFO or socket, not a regular file; Descent writes "
                        + "whole files and renames them into place, so give a file name"
                        + (flag.equals("--out") ? ", or - for standard output" : ""));
            }
            try {
                return path.toRealPath();
            } catch (IOException e) {
                throw new PathException(name + ": cannot resolve (" + e.getMessage() + ")");
            }
        }
        if (Files.isSymbolicLink(path)) {
            Path link = path;
            try {
                for (int hops = 0; Files.isSymbolicLink(link) && hops < 40; hops++) {
                    Path to = Files.readSymbolicLink(link);
                    link = link.toAbsolutePath().resolveSibling(to);
                }
            } catch (IOException e) {
                throw new PathException(name + ": cannot follow the link (" + e.getMessage() + ")");
            }
            if (Files.isSymbolicLink(link) || link.getFileName() == null) {
                throw new PathException(name + " is a symbolic link that leads nowhere");
            }
            return newFile(flag, path, link);
        }
        return newFile(flag, path, path);
    }

    /** A file to be created: its directory must exist and be writable. */
    private static Path newFile(String flag, Path given, Path path) throws PathException {
        Path absolute = path.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null || !Files.isDirectory(dir)) {
            throw new PathException(flag + ": the directory of " + given + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new PathException(flag + ": cannot create " + absolute.getFileName() + " in " + dir + " ("
                    + (readOnly(dir) ? "a read-only file system" : "this user may not write in that directory")
                    + "); give a file in a directory you can write");
        }
        try {
            return dir.toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            throw new PathException(flag + ": " + given + ": cannot resolve its directory (" + e.getMessage() + ")");
        }
    }

    private static boolean readOnly(Path dir) {
        try {
            return Files.getFileStore(dir).isReadOnly();
        } catch (IOException e) {
            return false;
        }
    }

    /** The file system identity of an output's target: its file key when it exists, else its real path. */
    private static Object identity(Path target) {
        Object key = identityIfExists(target);
        return key != null ? key : target;
    }

    /** The file key (device and inode) of an existing file or directory, after links; null when absent. */
    private static Object identityIfExists(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return a.fileKey() != null ? a.fileKey() : path.toRealPath(LinkOption.values());
        } catch (IOException e) {
            return null;
        }
    }
}
