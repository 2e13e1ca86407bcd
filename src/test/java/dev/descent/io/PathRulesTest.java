package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathRulesTest {
    @TempDir
    Path dir;

    @Test
    void anOutputThatIsTheInputIsRefusedHoweverItIsSpelled() throws IOException {
        Path data = Files.writeString(dir.resolve("d.csv"), "a,label\n1,x\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), data);
        Path hard = Files.createLink(dir.resolve("hard.json"), data);
        Files.createDirectories(dir.resolve("sub"));
        for (Path out : List.of(data, link, hard, dir.resolve("sub/../d.csv"))) {
            PathRules.PathException e = assertThrows(PathRules.PathException.class,
                    () -> new PathRules().input("--data", data).output("--save", out).check());
            assertTrue(e.getMessage().startsWith("--save: " + out + " is the --data file"), e.getMessage());
            assertTrue(e.getMessage().endsWith("Descent never overwrites its input, give another file name"));
        }
        assertEquals("a,label\n1,x\n", Files.readString(data));
    }

    @Test
    void twoOutputsOfOneFileAreRefusedEvenBeforeItExists() {
        Path out = dir.resolve("m.json");
        PathRules.PathException e = assertThrows(PathRules.PathException.class,
                () -> new PathRules().output("--save", out).output("--history", dir.resolve("./m.json")).check());
        assertEquals("--history: " + dir.resolve("./m.json") + " is also the --save file " + out
                + "; give each output its own file", e.getMessage());
    }

    @Test
    void theStandardStreamIsNeverAFile() {
        Path dash = Path.of("-");
        assertTrue(PathRules.isStandardStream(dash));
        assertDoesNotThrow(() -> new PathRules().input("--data", dash).output("--out", dash).check());
    }

    @Test
    void devicesAndFifosAreRefusedNotReplaced() throws Exception {
        PathRules.PathException e = assertThrows(PathRules.PathException.class, () -> PathRules.target("--out", Path.of("/dev/null")));
        assertEquals("--out: /dev/null is a device, FIFO or socket, not a regular file; Descent writes whole files "
                + "and renames them into place, so give a file name, or - for standard output", e.getMessage());
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path link = Files.createSymbolicLink(dir.resolve("to-fifo.png"), fifo);
        assertThrows(PathRules.PathException.class, () -> PathRules.target("--plot", link));
        assertThrows(PathRules.PathException.class, () -> AtomicFiles.write(link, out -> out.write(1)));
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo));
    }

    @Test
    void aLinkIsWrittenThroughAndStaysALink() throws IOException {
        Path real = Files.writeString(dir.resolve("real.csv"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("h.csv"), real);
        AtomicFiles.write(link, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path out = dir.resolve("no/such/m.json");
        PathRules.PathException e = assertThrows(PathRules.PathException.class, () -> PathRules.target("--save", out));
        assertEquals("--save: the directory of " + out + " does not exist", e.getMessage());
    }

    /**
     * Files a..d, some existing, reached by their names or by symbolic links; any mix of inputs and
     * outputs is refused exactly when some output is the same file as another use.
     */
    @Property(tries = 200)
    void refusedExactlyWhenAnOutputMeetsAnotherUse(@ForAll("uses") List<Tuple.Tuple3<Integer, Boolean, Boolean>> uses)
            throws IOException {
        Path root = Files.createTempDirectory("descent-paths");
        try {
            String[] names = {"a", "b", "c", "d"};
            for (int i = 0; i < 2; i++) {
                Files.writeString(root.resolve(names[i]), "data " + i); // a and b exist, c and d not yet
            }
            PathRules rules = new PathRules();
            List<Integer> outputs = new ArrayList<>(), all = new ArrayList<>();
            Set<Integer> existing = Set.of(0, 1);
            int n = 0;
            for (var u : uses) {
                int file = u.get1();
                boolean output = u.get2(), viaLink = u.get3();
                Path p = root.resolve(names[file]);
                if (viaLink) {
                    p = Files.createSymbolicLink(root.resolve("link" + n), p);
                }
                n++;
                if (output) {
                    rules.output("--out" + n, p);
                    outputs.add(file);
                } else {
                    rules.input("--in" + n, p);
                }
                all.add(output ? file : existing.contains(file) ? file : -1 - n); // an absent input is no file yet
            }
            boolean clash = false;
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < all.size(); i++) {
                if (!seen.add(all.get(i)) && outputs.contains(all.get(i))) {
                    clash = true;
                }
            }
            if (clash) {
                assertThrows(PathRules.PathException.class, rules::check);
            } else {
                assertDoesNotThrow(rules::check);
            }
        } finally {
            try (var files = Files.list(root)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(root);
        }
    }

    @Provide
    Arbitrary<List<Tuple.Tuple3<Integer, Boolean, Boolean>>> uses() {
        return Arbitraries.integers().between(0, 3).flatMap(f -> Arbitraries.of(true, false).tuple2()
                .map(t -> Tuple.of(f, t.get1(), t.get2()))).list().ofMinSize(1).ofMaxSize(5);
    }
}
