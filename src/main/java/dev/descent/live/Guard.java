package dev.descent.live;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The live server's threads, bounded: a fixed pool with a bounded queue (the JDK's server closes a
 * connection the pool refuses), and a watchdog that lets go of a client that is too slow. Each
 * exchange runs with a deadline: first for its request to arrive, then, as the handler says, for
 * each write to be read ({@link #writing}), or none while it waits for the run ({@link #waiting}).
 * Past its deadline the watchdog interrupts the thread: a blocking socket channel closes when the
 * thread reading or writing it is interrupted, so the connection ends and the thread is free.
 */
final class Guard implements Executor, AutoCloseable {
    /** How often the watchdog looks, in milliseconds. */
    static final long TICK_MILLIS = 500;

    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService watchdog;
    private final long requestMillis;
    private final Set<Task> running = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Task> current = new ThreadLocal<>();

    /** One exchange on its thread, and the time by which it must have moved on. */
    private static final class Task {
        final Thread thread;
        volatile long until; // System.nanoTime()
        volatile boolean timed = true;
        private boolean done;

        Task(Thread thread, long until) {
            this.thread = thread;
            this.until = until;
        }

        synchronized void interruptIfLate(long now) {
            if (!done && timed && now - until > 0) {
                thread.interrupt();
            }
        }

        synchronized void finish() {
            done = true;
        }
    }

    Guard(int threads, int queue, long requestMillis) {
        this.requestMillis = requestMillis;
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                daemon("descent-live"), new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true); // no thread kept while nobody looks
        watchdog = Executors.newSingleThreadScheduledExecutor(daemon("descent-live-watchdog"));
        watchdog.scheduleWithFixedDelay(this::expire, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true); // never keeps the program from exiting
            return t;
        };
    }

    /** Runs one exchange on the pool; throws RejectedExecutionException when pool and queue are full. */
    @Override
    public void execute(Runnable exchange) {
        pool.execute(() -> run(exchange));
    }

    private void run(Runnable exchange) {
        Task t = new Task(Thread.currentThread(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestMillis));
        current.set(t);
        running.add(t);
        try {
            exchange.run();
        } finally {
            t.finish();
            running.remove(t);
            current.remove();
            Thread.interrupted(); // an interrupt meant for this exchange is not the next one's
        }
    }

    /** The current exchange may wait at most {@code millis} from now for its next write to go out. */
    void writing(long millis) {
        Task t = current.get();
        if (t != null) {
            t.until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            t.timed = true;
        }
    }

    /** The current exchange waits for the run, which may take as long as it takes. */
    void waiting() {
        Task t = current.get();
        if (t != null) {
            t.timed = false;
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (Task t : running) {
            t.interruptIfLate(now);
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        pool.shutdownNow(); // wakes the followers waiting for events
    }
}
