package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25, point 10: an output in a directory the user may not write is refused naming the
 * directory and why, not the path alone. Root may write anywhere, so as root the check runs as the
 * user nobody (setpriv), on a class path of Descent's own classes.
 */
class UnwritableDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void anOutputInADirectoryThisUserMayNotWriteIsRefusedSayingWhy() throws Exception {
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        String message;
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) {
            message = assertRefused(ro);
        } else {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "root, and no setpriv to test as another user");
            for (Path p = dir; p != null && !p.equals(p.getRoot()); p = p.getParent()) { // let nobody reach it
                if (p.startsWith(dir)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            List<String> classes = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                if (Files.isDirectory(Path.of(entry))) {
                    classes.add(entry); // target/classes and target/test-classes, readable by anyone
                }
            }
            Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    ProcessHandle.current().info().command().orElse("java"), "-cp",
                    String.join(java.io.File.pathSeparator, classes), TargetProbe.class.getName(), "--save",
                    ro.resolve("m.json").toString()).redirectErrorStream(true).start();
            message = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, p.waitFor(), message);
        }
        assertEquals("--save: cannot create m.json in " + ro.toRealPath() + " (this user may not write in that directory); "
                + "give a file in a directory you can write", message);
    }

    private static String assertRefused(Path ro) {
        try {
            PathRules.target("--save", ro.resolve("m.json"));
            return "not refused";
        } catch (PathRules.PathException e) {
            return e.getMessage();
        }
    }
}
