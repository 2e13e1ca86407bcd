package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --live and --report: bad values get one line and exit 2 before any work; the report is written with the run. */
class LiveOptionsTest {
    @TempDir
    Path dir;

    private static void assertRefused(TrainCommandTest.Result r, String message) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(message), r.err());
    }

    @Test
    void aPortInUseIsOneLineAndExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertRefused(TrainCommandTest.run("train", "--no-plot", "--live", Integer.toString(port)),
                    "descent train: --live: port " + port + " on 127.0.0.1 is in use; give another, or --live alone "
                            + "for a free one");
            assertRefused(TrainCommandTest.run("doctor", "--live", Integer.toString(port)), "--live: port " + port);
        }
    }

    @Test
    void aPortOutOfRangeOrAReportThatIsNotHtmlIsRefused() {
        assertRefused(TrainCommandTest.run("train", "--no-plot", "--live", "70000"), "--live");
        Path txt = dir.resolve("r.txt");
        assertRefused(TrainCommandTest.run("train", "--no-plot", "--report", txt.toString()), "must end in .html");
        assertFalse(Files.exists(txt));
        Path same = dir.resolve("same.html");
        assertRefused(TrainCommandTest.run("train", "--no-plot", "--report", same.toString(), "--history",
                same.toString()), "--report");
        assertRefused(TrainCommandTest.run("evaluate", "--model", dir.resolve("m.json").toString(), "--report",
                txt.toString()), "");
    }

    @Test
    void trainAndEvaluateWriteTheirReports() throws Exception {
        Path report = dir.resolve("train.html"), model = dir.resolve("m.json"), evaluation = dir.resolve("eval.html");
        TrainCommandTest.Result r = TrainCommandTest.run("train", "--no-plot", "--save", model.toString(), "--report",
                report.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("report: " + report), r.out());
        String page = Files.readString(report);
        assertTrue(page.contains("\"type\":\"evaluation\"") && page.contains("\"type\":\"layers\""));
        assertEquals(101, page.split("\"type\":\"epoch\"", -1).length - 1, "epochs 0 to 100");

        r = TrainCommandTest.run("evaluate", "--model", model.toString(), "--no-plot", "--report", evaluation.toString());
        assertEquals(0, r.code(), r.err());
        String evaluated = Files.readString(evaluation);
        assertTrue(evaluated.contains("\"accuracy\":0.8") && evaluated.contains("\"finalLoss\""), "the model's "
                + "accuracy on the seed example, and its provenance");
    }
}
