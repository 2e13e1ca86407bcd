package dev.descent.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The page that shows a run: one HTML file with its style, its script and the chart library
 * (uPlot, from its webjar) inlined, so that it needs nothing from the network. The live page and
 * the report are the same page: the live one follows the run's events from the server that served
 * it ({@code events}, server-sent events); the report carries them all inside itself.
 *
 * <p>The events are embedded as JSON in a {@code <script type="application/json">} element, with
 * every {@code <} written as {@code \u003c} so no text of the run's (a class name, a file name) can
 * end the element; the script shows text only through {@code textContent}, never as HTML. A
 * Content-Security-Policy allows the page's own inline script and style and nothing else: no
 * request goes out, but the live page's to its own server.
 */
public final class Page {
    private static final String RESOURCES = "/dev/descent/live/";

    private Page() {}

    /** The live page: it reads the run's events from {@code events} on the server that serves it. */
    public static String live() {
        return render("[]", true);
    }

    /** The report: the page with the events of {@code log} inside it, for a finished run. */
    public static String report(RunLog log) {
        return render(log.toJson(), false);
    }

    private static String render(String eventsJson, boolean live) {
        String csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
                + "connect-src " + (live ? "'self'" : "'none'") + "; base-uri 'none'; form-action 'none'";
        // Filled by position (Template): the events' text is never searched for the markers after it.
        return new Template(resource("page.html")).fill(Map.of(
                "csp", csp,
                "mode", live ? "live" : "report",
                "uplot.css", uplot("uPlot.min.css"),
                "page.css", resource("page.css"),
                "events", eventsJson.replace("<", "\\u003c"),
                "uplot.js", uplot("uPlot.iife.min.js"),
                "page.js", resource("page.js")));
    }

    private static String uplot(String file) {
        return read("/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/" + file);
    }

    /** The version of the uPlot webjar on the class path, from its Maven properties. */
    static String uplotVersion() {
        try (InputStream in = Page.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("uPlot's webjar (org.webjars.npm:uplot) is not on the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        return read(RESOURCES + name);
    }

    private static String read(String path) {
        try (InputStream in = Page.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
