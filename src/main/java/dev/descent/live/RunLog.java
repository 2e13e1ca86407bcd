package dev.descent.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a run has shown so far, as an append-only list of events, each one JSON object with a
 * {@code type} ({@code run}, {@code epoch}, {@code batch}, {@code layers}, {@code finding},
 * {@code evaluation}, {@code end}; {@link Events} makes them). The live page replays them from the
 * first and then follows new ones; the report embeds them all. Training appends, the server's
 * threads read: appending never waits for a reader.
 *
 * <p>Events are written as JSON when appended, except the per-batch points ({@link #appendPoint}):
 * those come from the training loop, so they are kept as three numbers and written when first read
 * (by a page, or for the report). Training then runs no serialiser, and the JIT compiles none while
 * the training threads want the cores.
 */
public final class RunLog {
    /** Made at the first event, not when a command without --live or --report makes its empty log. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** Each event's JSON, or a {@link Point} not yet written. */
    private final List<Object> events = new ArrayList<>();
    private boolean closed;

    /** Appends one event, written as JSON now (so later changes to its values are not seen). */
    public void append(Map<String, ?> event) {
        String json = write(event);
        synchronized (this) {
            events.add(json);
            notifyAll();
        }
    }

    /** A point of the per-batch loss ({@link Events#batch}), written as JSON when first read. */
    public void appendPoint(double at, double smoothed, double loss) {
        Point p = new Point(at, smoothed, loss);
        synchronized (this) {
            events.add(p);
            notifyAll();
        }
    }

    private record Point(double at, double smoothed, double loss) {
        String json() {
            return write(Events.batch(at, smoothed, loss));
        }
    }

    private static String write(Map<String, ?> event) {
        try {
            return Json.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an event that is not JSON: " + e.getMessage(), e);
        }
    }

    /** No more events will come: readers waiting for one are woken and find none. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    public synchronized int size() {
        return events.size();
    }

    /** A copy of the events from {@code from} on, waiting up to {@code millis} for one when there are none yet. */
    public List<String> since(int from, long millis) throws InterruptedException {
        List<Object> found;
        synchronized (this) {
            long until = System.currentTimeMillis() + millis;
            while (events.size() <= from && !closed) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                wait(left);
            }
            found = from >= events.size() ? List.of() : new ArrayList<>(events.subList(from, events.size()));
        }
        return written(from, found);
    }

    /** Every event so far, as one JSON array. */
    public String toJson() {
        List<Object> all;
        synchronized (this) {
            all = new ArrayList<>(events);
        }
        return "[" + String.join(",\n", written(0, all)) + "]";
    }

    /**
     * The events from index {@code from}, each written as JSON; points are written here, outside the
     * lock so that training's appends do not wait, and kept written for the next reader.
     */
    private List<String> written(int from, List<Object> found) {
        List<String> json = new ArrayList<>(found.size());
        boolean wrote = false;
        for (Object e : found) {
            wrote |= e instanceof Point;
            json.add(e instanceof Point p ? p.json() : (String) e);
        }
        if (wrote) {
            synchronized (this) {
                for (int i = 0; i < json.size(); i++) {
                    events.set(from + i, json.get(i));
                }
            }
        }
        return json;
    }
}
