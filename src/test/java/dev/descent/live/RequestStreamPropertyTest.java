package dev.descent.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 25: random streams of requests (methods, paths, Host and Origin headers, Fetch Metadata,
 * Last-Event-ID, junk headers; clients that read, hold, stall or read slowly) thrown at the live
 * server of a training run while it trains and after. Each well-formed request gets the answer
 * the rules give, the run's own page still loads and follows it afterwards, and the run's model
 * and history are bit for bit those of the same run without a server.
 */
class RequestStreamPropertyTest {
    private static Path dir, data;
    private static byte[] model, history;

    /** 4 classes of 16 noisy features, 3,000 rows: a run of a second or so in batches of 16, while the requests come. */
    @BeforeContainer
    static void baseline() throws IOException {
        dir = Files.createTempDirectory("descent-requests");
        data = dir.resolve("d.csv");
        Random rng = new Random(5);
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 16; j++) {
            sb.append('f').append(j).append(',');
        }
        sb.append("label\n");
        for (int i = 0; i < 3000; i++) {
            for (int j = 0; j < 16; j++) {
                sb.append(String.format(java.util.Locale.ROOT, "%.4f", (j % 4 == i % 4 ? 1 : 0) + rng.nextGaussian()))
                        .append(',');
            }
            sb.append('c').append(i % 4).append('\n');
        }
        Files.writeString(data, sb.toString());
        Path out = Files.createDirectories(dir.resolve("baseline"));
        StringWriter o = new StringWriter(), e = new StringWriter();
        assertEquals(0, Main.run(args(out, false), new PrintWriter(o), new PrintWriter(e)), e.toString());
        model = Files.readAllBytes(out.resolve("m.json"));
        history = Files.readAllBytes(out.resolve("h.csv"));
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a run of a failed try may still be writing; the directory is a temporary one
                }
            }
        }
    }

    static String[] args(Path out, boolean live) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--epochs", "8", "--batch", "16",
                "--optimizer", "adam", "--no-plot", "--quiet", "--save", out.resolve("m.json").toString(), "--history",
                out.resolve("h.csv").toString()));
        if (live) {
            a.add("--live");
        }
        return a.toArray(String[]::new);
    }

    /** What a client does with its connection. */
    enum Behaviour { READ, HOLD, CLOSE_AT_ONCE, STALL_MID_REQUEST, READ_SLOWLY }

    /** One request of a stream; the header fields are chosen by index from the lists below. */
    record Request(String method, String path, int host, int origin, int site, String lastEventId, String junk,
            Behaviour behaviour) {}

    static final List<String> METHODS = List.of("GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE",
            "BREW", "get");
    static final List<String> PATHS = List.of("/", "/", "/events", "/events", "/events?x=1", "/nothing", "//",
            "/%2e%2e/etc/passwd", "/events/../", "/" + "a".repeat(3000));

    /** Host header lines: none, its own (two spellings), another, two of them. */
    static final int HOSTS = 5;
    /** Origin header lines: none, its own, another, null, two of them. */
    static final int ORIGINS = 5;
    /** Sec-Fetch-Site header lines: none, same-origin, cross-site, same-site, none. */
    static final List<String> SITES = List.of("", "same-origin", "cross-site", "same-site", "none");

    @Provide
    Arbitrary<List<Request>> streams() {
        Arbitrary<String> junk = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40).map(v -> "X-Junk: " + v),
                Arbitraries.integers().between(1, 64).map(k -> "X-Big: " + "b".repeat(k * 1024)));
        Arbitrary<String> lastEventId = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.integers().between(-5, 100)
                .map(Object::toString), Arbitraries.of("x", "99999999999999999999", " 3 "));
        Arbitrary<Request> request = Combinators.combine(Arbitraries.of(METHODS), Arbitraries.of(PATHS),
                Arbitraries.integers().between(0, HOSTS - 1), Arbitraries.integers().between(0, ORIGINS - 1),
                Arbitraries.integers().between(0, SITES.size() - 1), lastEventId, junk, Arbitraries.of(Behaviour.class))
                .as(Request::new);
        return request.list().ofMinSize(10).ofMaxSize(40);
    }

    /** The status the rules give a well-formed request, or 0 for a follower that may find every slot taken (200 or 503). */
    static int expected(Request r) {
        if (r.path().equals("//")) {
            return 400; // the JDK's server cannot parse it as a request target, before any rule of Descent's
        }
        if (r.host() == 0 || r.host() == 4) {
            return 400;
        }
        if (r.host() == 3) {
            return 403;
        }
        if (r.origin() >= 2) {
            return 403;
        }
        if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
            return 405;
        }
        String path = r.path().contains("?") ? r.path().substring(0, r.path().indexOf('?')) : r.path();
        if (path.equals("/")) {
            return 200;
        }
        if (path.equals("/events")) {
            return r.site() >= 2 ? 403 : r.method().equals("HEAD") ? 200 : 0;
        }
        return 404;
    }

    static String text(Request r, int port) {
        StringBuilder sb = new StringBuilder(r.method() + " " + r.path() + " HTTP/1.1\r\n");
        String own = "127.0.0.1:" + port;
        switch (r.host()) {
            case 1 -> sb.append("Host: ").append(own).append("\r\n");
            case 2 -> sb.append("Host: localhost:").append(port).append("\r\n");
            case 3 -> sb.append("Host: attacker.example:").append(port).append("\r\n");
            case 4 -> sb.append("Host: ").append(own).append("\r\nHost: ").append(own).append("\r\n");
            default -> { }
        }
        switch (r.origin()) {
            case 1 -> sb.append("Origin: http://").append(own).append("\r\n");
            case 2 -> sb.append("Origin: http://attacker.example\r\n");
            case 3 -> sb.append("Origin: null\r\n");
            case 4 -> sb.append("Origin: http://").append(own).append("\r\nOrigin: http://attacker.example\r\n");
            default -> { }
        }
        if (r.site() > 0) {
            sb.append("Sec-Fetch-Site: ").append(SITES.get(r.site())).append("\r\n");
        }
        if (!r.lastEventId().isEmpty()) {
            sb.append("Last-Event-ID: ").append(r.lastEventId()).append("\r\n");
        }
        if (!r.junk().isEmpty()) {
            sb.append(r.junk()).append("\r\n");
        }
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    /** Sends one request and acts as its client does; the status it read, or -1 when it read none. */
    static int send(Request r, int port) throws IOException, InterruptedException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.setSoTimeout(5000);
            byte[] bytes = text(r, port).getBytes(StandardCharsets.ISO_8859_1);
            switch (r.behaviour()) {
                case CLOSE_AT_ONCE -> {
                    s.getOutputStream().write(bytes, 0, bytes.length / 2);
                    return -1;
                }
                case STALL_MID_REQUEST -> {
                    s.getOutputStream().write(bytes, 0, bytes.length / 2);
                    Thread.sleep(200);
                    return -1;
                }
                case HOLD -> {
                    s.getOutputStream().write(bytes);
                    Thread.sleep(200); // and reads nothing
                    return -1;
                }
                case READ_SLOWLY -> {
                    s.getOutputStream().write(bytes);
                    InputStream in = s.getInputStream();
                    for (int i = 0; i < 6 && in.read() >= 0; i++) {
                        Thread.sleep(30);
                    }
                    return -1;
                }
                default -> {
                    s.getOutputStream().write(bytes);
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.ISO_8859_1)).readLine();
                    Matcher m = Pattern.compile("HTTP/1\\.1 (\\d{3}) .*").matcher(line == null ? "" : line);
                    return m.matches() ? Integer.parseInt(m.group(1)) : -2;
                }
            }
        } catch (SocketTimeoutException e) {
            return -3;
        }
    }

    static final Pattern URL = Pattern.compile("live page: http://127\\.0\\.0\\.1:(\\d+)/ \\((training|the finished run)");

    @Property(tries = 8)
    void aStreamOfRequestsLeavesTheRunAsItWouldBeWithoutAServer(@ForAll("streams") List<Request> stream)
            throws Exception {
        Path out = Files.createTempDirectory(dir, "live");
        StringWriter o = new StringWriter(), e = new StringWriter();
        int[] code = {-1};
        Thread run = new Thread(() -> code[0] = Main.run(args(out, true), new PrintWriter(o, true), new PrintWriter(e, true)));
        run.start();
        try {
            check(stream, run, o, e, code, out);
        } finally {
            run.interrupt();
            run.join(60_000);
        }
    }

    private static void check(List<Request> stream, Thread run, StringWriter o, StringWriter e, int[] code, Path out)
            throws Exception {
        int port = 0;
        for (long deadline = System.nanoTime() + 60_000_000_000L; port == 0 && System.nanoTime() < deadline; ) {
            Matcher m = URL.matcher(o.toString());
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            } else {
                Thread.sleep(5);
            }
        }
        assertTrue(port > 0, "no live page: " + o + e);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> sent = new ArrayList<>();
            int p = port;
            for (Request r : stream) {
                sent.add(clients.submit(() -> {
                    int status = send(r, p);
                    int want = expected(r);
                    if (r.behaviour() == Behaviour.READ && !(status == want || want == 0 && (status == 200 || status == 503))) {
                        String shown = r.toString();
                        wrong.add(status + " for " + (shown.length() > 300 ? shown.substring(0, 300) + "..." : shown)
                                + " (the rules say " + want + ")");
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(List.of(), wrong);
        for (long deadline = System.nanoTime() + 120_000_000_000L; !o.toString().contains("(the finished run; Ctrl-C")
                && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
        }
        // The run's own page loads and follows the run, whatever came before.
        assertEquals(200, send(new Request("GET", "/", 1, 0, 1, "", "", Behaviour.READ), port));
        assertEquals(200, send(new Request("GET", "/events", 1, 0, 1, "", "", Behaviour.READ), port));
        run.interrupt(); // as Ctrl-C ends the finished run's page
        run.join(60_000);
        assertEquals(0, code[0], e.toString());
        assertArrayEquals(model, Files.readAllBytes(out.resolve("m.json")), "the model, bit for bit");
        assertArrayEquals(history, Files.readAllBytes(out.resolve("h.csv")), "the history, bit for bit");
    }
}
