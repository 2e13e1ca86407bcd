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

    /** One raw request with the given header lines; the status line of the answer. */
    private String status(String method, String path, String... headers) throws Exception {
        int port = server.url().getPort();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            for (String h : headers) {
                r.append(h.replace("PORT", Integer.toString(port))).append("\r\n");
            }
            s.getOutputStream().write(r.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
        }
    }

    @Test
    void twoHostHeadersOrNoneAreABadRequest() throws Exception {
        assertEquals("HTTP/1.1 400 Bad Request", status("GET", "/", "Host: 127.0.0.1:PORT", "Host: 127.0.0.1:PORT"));
        assertEquals("HTTP/1.1 400 Bad Request", status("GET", "/", "Host: 127.0.0.1:PORT", "Host: attacker.example"));
        assertEquals("HTTP/1.1 400 Bad Request", status("GET", "/"));
        assertEquals("HTTP/1.1 200 OK", status("GET", "/", "Host: 127.0.0.1:PORT"));
    }

    @Test
    void anotherOriginIsRefusedOnEveryRequest() throws Exception {
        for (String path : List.of("/", "/events", "/nothing")) {
            for (String origin : List.of("http://attacker.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:PORT",
                    "http://localhost.attacker.example:PORT")) {
                assertEquals("HTTP/1.1 403 Forbidden", status("GET", path, "Host: 127.0.0.1:PORT", "Origin: " + origin),
                        path + " from " + origin);
            }
            assertEquals("HTTP/1.1 403 Forbidden", status("GET", path, "Host: 127.0.0.1:PORT",
                    "Origin: http://127.0.0.1:PORT", "Origin: http://attacker.example"), path + ": two origins");
        }
        assertEquals("HTTP/1.1 200 OK", status("GET", "/", "Host: 127.0.0.1:PORT", "Origin: http://127.0.0.1:PORT"));
        assertEquals("HTTP/1.1 200 OK", status("GET", "/", "Host: localhost:PORT", "Origin: http://localhost:PORT"));
        assertEquals("HTTP/1.1 403 Forbidden", status("GET", "/events", "Host: 127.0.0.1:PORT", "Sec-Fetch-Site: cross-site"),
                "a script element of another site's page sends no Origin, but says where it is from");
        assertEquals("HTTP/1.1 200 OK", status("HEAD", "/events", "Host: 127.0.0.1:PORT", "Sec-Fetch-Site: same-origin"));
    }

    /** Opens /events with {@code origin} (null: none, as the run's own page), and returns the open socket after its status line. */
    private Socket follower(String origin, List<String> statuses) throws Exception {
        int port = server.url().getPort();
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        statuses.add(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine());
        return s;
    }

    @Test
    void aPageFromAnotherOriginCannotFillTheFollowerSlots() throws Exception {
        List<Socket> open = new ArrayList<>();
        List<String> foreign = new ArrayList<>(), own = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * LiveServer.MAX_FOLLOWERS; i++) { // as EventSources opened in a loop by a page elsewhere
                open.add(follower("http://attacker.example", foreign));
            }
            open.add(follower(null, own));
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        assertEquals(List.of("HTTP/1.1 403 Forbidden"), foreign.stream().distinct().toList());
        assertEquals(List.of("HTTP/1.1 200 OK"), own, "the run's own page still follows it");
    }

    @Test
    void theReportsMarkersInARunsTextCannotMoveThePage() throws Exception {
        String markers = "/*{{uplot.js}}*/ {{events}} /*{{page.js}}*/ {{csp}} {{mode}} /*{{page.css}}*/";
        RunLog hostile = new RunLog();
        hostile.append(Map.of("type", "run", "title", markers));
        String page = Page.report(hostile);
        String open = "<script type=\"application/json\" id=\"events\">";
        int from = page.indexOf(open) + open.length();
        String events = page.substring(from, page.indexOf("</script>", from));
        com.fasterxml.jackson.databind.JsonNode parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(events);
        assertEquals(markers, parsed.get(0).get("title").asText(), "the run's text is the run's text, markers and all");
        String live = Page.live();
        assertEquals(live.length() - "[]".length() + events.length(), page.length() - "report".length() + "live".length()
                - "'none'".length() + "'self'".length(), "nothing else of the page moved");
    }

    /** Threads of the live server's pool now alive. */
    private static long poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("descent-live") && t.isAlive())
                .count();
    }

    /** Whether the server has closed {@code s}: it reads the end of the stream, or a reset. */
    private static boolean closedByServer(Socket s) {
        try {
            s.setSoTimeout(100);
            return s.getInputStream().read(new byte[4096]) < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    void slowClientsHoldABoundedPoolAndAreLetGo() throws Exception {
        LiveServer slow = LiveServer.start(0, log, 500, 500);
        List<Socket> clients = new ArrayList<>();
        try {
            int port = slow.url().getPort();
            for (int i = 0; i < 300; i++) { // each starts a request and never finishes it
                Socket c = new Socket();
                c.connect(new InetSocketAddress("127.0.0.1", port));
                c.getOutputStream().write("GET / HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
                clients.add(c);
            }
            Thread.sleep(300);
            assertTrue(poolThreads() <= LiveServer.THREADS, poolThreads() + " threads for 300 slow clients");
            long deadline = System.nanoTime() + 15_000_000_000L;
            List<Socket> open = new ArrayList<>(clients);
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                open.removeIf(LiveServerTest::closedByServer);
            }
            assertEquals(List.of(), open, "every slow client is let go");
            HttpResponse<String> page = send(HttpRequest.newBuilder(slow.url()));
            assertEquals(200, page.statusCode(), "and the page is served");
        } finally {
            for (Socket c : clients) {
                c.close();
            }
            slow.close();
        }
    }

    @Test
    void followersThatStopReadingAreLetGoAndTheirSlotsFreed() throws Exception {
        LiveServer slow = LiveServer.start(0, log, 500, 500);
        List<Socket> stalled = new ArrayList<>();
        try {
            int port = slow.url().getPort();
            for (int i = 0; i < LiveServer.MAX_FOLLOWERS; i++) {
                Socket c = new Socket();
                c.setReceiveBufferSize(4096);
                c.connect(new InetSocketAddress("127.0.0.1", port));
                c.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)); // and never reads
                stalled.add(c);
            }
            String big = "x".repeat(1 << 16);
            for (int i = 0; i < 400; i++) { // 26 MB of events: more than the sockets' buffers hold
                log.append(Map.of("type", "finding", "title", big));
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            int status = 0;
            while (System.nanoTime() < deadline && (status = send(HttpRequest.newBuilder(slow.url().resolve("events"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode()) != 200) {
                Thread.sleep(200);
            }
            assertEquals(200, status, "a slot is free again for the run's own page");
        } finally {
            for (Socket c : stalled) {
                c.close();
            }
            slow.close();
        }
    }
}
