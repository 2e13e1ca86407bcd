package dev.descent.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server is safe by default: loopback only, two paths, GET only, its own Host only; events replay and resume. */
class LiveServerTest {
    private final RunLog log = new RunLog();
    private LiveServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        log.append(Map.of("type", "run", "title", "training"));
        log.append(Map.of("type", "end", "status", "done", "seconds", 1.5));
        server = LiveServer.start(0, log);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listensOnLoopbackOnlyAndServesThePageWithAPolicyThatForbidsOtherOrigins() throws Exception {
        assertTrue(server.url().toString().startsWith("http://127.0.0.1:"), server.url().toString());
        HttpResponse<String> page = send(HttpRequest.newBuilder(server.url()));
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("connect-src 'self'"), "the live page may talk to its own server only");
        assertTrue(page.body().contains("<html lang=\"en\" data-mode=\"live\">"));
    }

    @Test
    void acceptsNoCommandAndServesNoFile() throws Exception {
        URI root = server.url();
        assertEquals(405, send(HttpRequest.newBuilder(root).POST(HttpRequest.BodyPublishers.ofString("stop"))).statusCode());
        assertEquals(405, send(HttpRequest.newBuilder(root.resolve("events")).DELETE()).statusCode());
        for (String path : List.of("pom.xml", "..%2f..%2fetc%2fpasswd", "events/../pom.xml", "index.html", "page.js")) {
            assertEquals(404, send(HttpRequest.newBuilder(URI.create(root + path))).statusCode(), path);
        }
    }

    @Test
    void refusesAnotherHostNameAsADnsRebindingPageWouldSendIt() throws Exception {
        int port = server.url().getPort();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: attacker.example:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 403 Forbidden", status);
        }
    }

    @Test
    void eventsReplayFromTheFirstThenFollowAndResumeAfterTheLastSeen() throws Exception {
        List<String> first = events(null, 2);
        assertEquals(List.of("id: 0", "id: 1"), ids(first));
        assertTrue(first.get(1).contains("\"type\":\"end\""));
        log.append(Map.of("type", "epoch", "epoch", 1));
        List<String> resumed = events("1", 1); // as a browser reconnecting after event 1
        assertEquals(List.of("id: 2"), ids(resumed));
        assertTrue(resumed.get(0).contains("\"epoch\":1"));
    }

    /** The first n events of /events, each as its id and data lines. */
    private List<String> events(String lastEventId, int n) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(server.url().resolve("events"));
        if (lastEventId != null) {
            r.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> response = http.send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        List<String> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            StringBuilder event = new StringBuilder();
            for (String line; events.size() < n && (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (event.toString().startsWith("id: ")) {
                        events.add(event.toString());
                    }
                    event.setLength(0);
                } else {
                    event.append(event.length() > 0 ? "\n" : "").append(line);
                }
            }
        }
        return events;
    }

    private static List<String> ids(List<String> events) {
        return events.stream().map(e -> e.substring(0, e.indexOf('\n'))).toList();
    }

    @Test
    void theReportCarriesItsEventsAndNoTextOfTheRunCanEndItsScript() {
        RunLog hostile = new RunLog();
        hostile.append(Map.of("type", "run", "title", "</script><script>alert(1)</script>"));
        String page = Page.report(hostile);
        assertFalse(page.contains("<script>alert(1)"), "a class or file name must not become markup");
        assertTrue(page.contains("\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"));
        assertTrue(page.contains("connect-src 'none'"), "the report asks nothing of any server");
        assertFalse(page.contains(" src=") || page.contains(" href="), "the report loads nothing");
        assertTrue(page.contains("uPlot"), "the chart library is inlined");
    }
}
