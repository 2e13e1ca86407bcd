package dev.descent.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * Serves one run's page while it trains and after, with the JDK's own HTTP server.
 *
 * <p>Safe by default: it listens on the loopback address (127.0.0.1) only; it answers GET (and HEAD)
 * of two paths, the page ({@code /}) and the run's events ({@code /events}, server-sent events),
 * and nothing else: it serves no file, and nothing the page sends can change the run. A request
 * whose Host is not this address (a DNS-rebinding page elsewhere in the browser) is refused, and so
 * is one with no Host or two (400, as RFC 9112 says). A request from another web page is refused
 * too: an {@code Origin} header, when there is one, must be the page's own, and the events refuse
 * a browser's request that says it comes from another site ({@code Sec-Fetch-Site}). So a page
 * elsewhere cannot fill the follower slots and lock the run's own page out.
 *
 * <p>Bounded: a fixed pool of {@link #THREADS} threads (a follower holds one while it follows), a
 * queue of {@link #QUEUE} connections waiting for one, and connections past those closed at once.
 * A client that sends its request too slowly ({@link #REQUEST_MILLIS}) or stops reading what it is
 * sent ({@link #WRITE_MILLIS} for one write) loses its connection, and with it the thread.
 */
public final class LiveServer implements AutoCloseable {
    /** At most this many pages may follow the run at once; more are told to come back later (503). */
    public static final int MAX_FOLLOWERS = 16;
    /** A comment line goes to each follower at least this often, so a closed page is noticed. */
    static final long KEEP_ALIVE_MILLIS = 10_000;
    /** Threads that serve requests, at most: every follower, and some for the page and refusals. */
    public static final int THREADS = MAX_FOLLOWERS + 8;
    /** Connections waiting for a thread, at most; more are closed unanswered. */
    public static final int QUEUE = 64;
    /** How long a connection has to send its request once it has started, before it is closed. */
    public static final long REQUEST_MILLIS = 10_000;
    /** How long one write to a client may wait for the client to read, before the connection is closed. */
    public static final long WRITE_MILLIS = 10_000;

    private final HttpServer server;
    private final Guard threads;
    private final RunLog log;
    private final byte[] page;
    private final Semaphore followers = new Semaphore(MAX_FOLLOWERS);
    private final Set<String> hosts;
    private final Set<String> origins;
    private final long writeMillis;
    private final Object stopped = new Object();
    private boolean closed;

    private LiveServer(HttpServer server, Guard threads, RunLog log, long writeMillis) {
        this.server = server;
        this.threads = threads;
        this.log = log;
        this.writeMillis = writeMillis;
        this.page = Page.live().getBytes(StandardCharsets.UTF_8);
        int port = server.getAddress().getPort();
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port);
        this.origins = Set.of("http://127.0.0.1:" + port, "http://localhost:" + port);
    }

    /**
     * Starts serving {@code log} on 127.0.0.1.
     *
     * @param port the port, or 0 for a free one
     * @throws java.net.BindException when the port is in use
     */
    public static LiveServer start(int port, RunLog log) throws IOException {
        return start(port, log, REQUEST_MILLIS, WRITE_MILLIS);
    }

    /** The same with other time limits, for tests of slow clients. */
    static LiveServer start(int port, RunLog log, long requestMillis, long writeMillis) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        Guard threads = new Guard(THREADS, QUEUE, requestMillis);
        LiveServer live = new LiveServer(server, threads, log, writeMillis);
        server.createContext("/", live::handle);
        server.setExecutor(threads);
        server.start();
        return live;
    }

    /** Where the page is: {@code http://127.0.0.1:PORT/}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Blocks until {@link #close()} is called or the thread is interrupted (Ctrl-C ends the program). */
    public void awaitStop() throws InterruptedException {
        synchronized (stopped) {
            while (!closed) {
                stopped.wait();
            }
        }
    }

    @Override
    public void close() {
        synchronized (stopped) {
            closed = true;
            stopped.notifyAll();
        }
        server.stop(0);
        threads.close(); // wakes the followers waiting for events
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            threads.writing(writeMillis); // the request is read: from here on, the time each write may take
            String method = x.getRequestMethod();
            List<String> host = x.getRequestHeaders().get("Host");
            List<String> origin = x.getRequestHeaders().get("Origin");
            String path = x.getRequestURI().getRawPath();
            if (host == null || host.size() != 1) {
                send(x, 400, "text/plain", "a request needs exactly one Host header\n");
            } else if (!hosts.contains(host.get(0))) {
                send(x, 403, "text/plain", "this server answers only to " + url() + "\n");
            } else if (origin != null && (origin.size() != 1 || !origins.contains(origin.get(0)))) {
                send(x, 403, "text/plain", "this server answers only to its own page, " + url() + "\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                x.getResponseHeaders().set("Allow", "GET, HEAD");
                send(x, 405, "text/plain", "only GET: this page accepts no commands\n");
            } else if (path.equals("/")) {
                send(x, 200, "text/html", page);
            } else if (path.equals("/events")) {
                if (fromAnotherSite(x)) {
                    send(x, 403, "text/plain", "the events are for this run's own page, " + url() + "\n");
                } else {
                    follow(x);
                }
            } else {
                send(x, 404, "text/plain", "not found: this server has the page (/) and its events (/events)\n");
            }
        }
    }

    /**
     * Whether a browser says the request comes from another site's page ({@code Sec-Fetch-Site}
     * other than {@code same-origin}): a request a page makes without CORS (a script or image
     * element) carries no Origin, but a browser that sends Fetch Metadata says where it is from.
     */
    private static boolean fromAnotherSite(HttpExchange x) {
        List<String> site = x.getRequestHeaders().get("Sec-Fetch-Site");
        return site != null && (site.size() != 1 || !site.get(0).equals("same-origin"));
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        send(x, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        headers(x, type);
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            x.getResponseBody().write(body);
        }
    }

    private static void headers(HttpExchange x, String type) {
        var h = x.getResponseHeaders();
        h.set("Content-Type", type + "; charset=utf-8");
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
    }

    /**
     * Server-sent events: every event of the run from the first (or from the one after
     * {@code Last-Event-ID}, when the browser reconnects), then each new one as it comes.
     */
    private void follow(HttpExchange x) throws IOException {
        if (!followers.tryAcquire()) {
            x.getResponseHeaders().set("Retry-After", "10");
            send(x, 503, "text/plain", "too many pages follow this run; close one\n");
            return;
        }
        try {
            headers(x, "text/event-stream");
            if (x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(200, -1);
                return;
            }
            x.sendResponseHeaders(200, 0);
            OutputStream out = x.getResponseBody();
            out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            int next = lastEventId(x) + 1;
            while (!Thread.currentThread().isInterrupted()) {
                threads.waiting(); // for the run, as long as it takes
                List<String> events = log.since(next, KEEP_ALIVE_MILLIS);
                StringBuilder sb = new StringBuilder(events.isEmpty() ? ": still here\n\n" : "");
                for (String e : events) {
                    sb.append("id: ").append(next++).append("\ndata: ").append(e).append("\n\n");
                }
                threads.writing(writeMillis); // a page that stops reading is let go
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                out.flush(); // an IOException here: the page was closed
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is closing
        } finally {
            followers.release();
        }
    }

    private static int lastEventId(HttpExchange x) {
        String id = x.getRequestHeaders().getFirst("Last-Event-ID");
        try {
            return id == null ? -1 : Math.max(-1, Integer.parseInt(id.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
