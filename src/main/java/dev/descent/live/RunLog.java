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
 */
public final class RunLog {
    /** Made at the first event, not when a command without --live or --report makes its empty log. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final List<String> events = new ArrayList<>();
    private boolean closed;

    /** Appends one event, written as JSON now (so later changes to its values are not seen). */
    public void append(Map<String, ?> event) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an event that is not JSON: " + e.getMessage(), e);
        }
        synchronized (this) {
            events.add(json);
            notifyAll();
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
    public synchronized List<String> since(int from, long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (events.size() <= from && !closed) {
            long left = until - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return from >= events.size() ? List.of() : new ArrayList<>(events.subList(from, events.size()));
    }

    /** Every event so far, as one JSON array. */
    public synchronized String toJson() {
        return "[" + String.join(",\n", events) + "]";
    }
}
