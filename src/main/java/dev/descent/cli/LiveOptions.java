package dev.descent.cli;

import dev.descent.io.PathRules;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --live [PORT]} and {@code --report FILE.html}: the run as a page, while it trains and after. */
public final class LiveOptions {
    @Option(names = "--live", arity = "0..1", paramLabel = "PORT", fallbackValue = "0",
            description = "Serve a page on 127.0.0.1 that shows the run as it trains (curves, per-layer figures, "
                    + "findings), and keep serving it until Ctrl-C; the URL is printed. PORT: a free one if left out.")
    Integer live;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Write the page of the finished run here, one self-contained HTML file that opens "
                    + "without a network.")
    Path report;

    /** Checks the port and the report's path; adds the report to the outputs. */
    void check(PathRules paths) {
        if (live != null && (live < 0 || live > 65535)) {
            throw UserError.badValue("--live", live, "is not a port (1 to 65535; leave it out for a free one)");
        }
        if (report != null) {
            paths.output("--report", report);
            checkReportName("--report", report);
        }
    }

    static void checkReportName(String flag, Path report) {
        String name = report.getFileName() == null ? "" : report.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".html") && !name.endsWith(".htm")) {
            throw UserError.badValue(flag, report, "must end in .html");
        }
    }
}
