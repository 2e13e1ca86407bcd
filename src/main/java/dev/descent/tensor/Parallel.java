package dev.descent.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a loop over rows across the machine's cores. Each row is computed by exactly the same
 * arithmetic whichever thread runs it, so results do not depend on the number of threads.
 * Small loops run on the calling thread: below {@link #MIN_WORK} multiply-adds the hand-off
 * costs more than it saves. A loop started from inside another's block runs in place, on its
 * thread, so nested splits cannot wait on each other.
 *
 * <p>The workers wait for work by spinning for two milliseconds before they sleep, the way
 * OpenMP runtimes do: a training step hands work over several times per batch, and waking a
 * sleeping thread costs some 30 µs here, against about 1 µs for a spinning one (measured in
 * {@code docs/performance.md}). Idle, they sleep and cost nothing. When OpenBLAS runs threads of its
 * own ({@code OPENBLAS_NUM_THREADS} unset), those spin instead, and Descent's workers do not.
 */
public final class Parallel {
    private Parallel() {}

    /** Multiply-adds below which a loop stays on the calling thread. */
    static final long MIN_WORK = 1 << 17;

    /** The number of cores, and so of parts a large loop is split into. */
    public static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /**
     * How long an idle worker spins before it sleeps: none when OpenBLAS runs threads of its own,
     * which spin too and would be kept off the cores.
     */
    private static final long SPIN_NANOS = NativeProducts.singleThreaded() ? 2_000_000 : 0;

    /** Runs rows [from, to) of a loop. */
    @FunctionalInterface
    public interface Rows {
        void run(int from, int to);
    }

    /** Runs block {@code part} of a loop: rows [from, to). */
    @FunctionalInterface
    public interface Part {
        void run(int part, int from, int to);
    }

    /** Runs {@code body} over rows [0, n), split across the cores when {@code work} is large enough. */
    public static void rows(int n, long work, Rows body) {
        parts(n, (int) Math.min(THREADS, Math.min(n, work / MIN_WORK)), (part, from, to) -> body.run(from, to));
    }

    /**
     * Runs {@code body} over rows [0, n) cut into {@code parts} contiguous blocks, block p on
     * worker p and the last on the calling thread, and returns when all are done. With more
     * parts than cores, or from inside a worker, the blocks run one after the other.
     */
    public static void parts(int n, int parts, Part body) {
        if (parts <= 1 || parts > THREADS || Thread.currentThread() instanceof Worker) {
            inPlace(n, parts, body);
            return;
        }
        TEAM.run(n, parts, body);
    }

    /**
     * Whether {@link #parts} would run this many blocks at the same time, each on its own thread,
     * so that they may wait for one another: not with more blocks than cores, nor from inside a
     * block of another loop (where they run one after the other, and a block waiting for a later
     * one would wait forever).
     */
    public static boolean concurrent(int parts) {
        return parts <= THREADS && !(Thread.currentThread() instanceof Worker) && !Thread.holdsLock(TEAM);
    }

    /** The blocks one after the other, on the calling thread. */
    private static void inPlace(int n, int parts, Part body) {
        for (int p = 0; p < Math.max(1, parts); p++) {
            body.run(p, start(n, p, parts), start(n, p + 1, parts));
        }
    }

    /**
     * One turn of a wait: a spin-wait hint, and every 64th turn a yield, so that a thread the
     * waiter is waiting for (or the JIT compiler) gets the core if the system has put it on this one.
     */
    private static void pause(int spins) {
        if ((spins & 63) == 63) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    /** How long a wait for another core spins before it naps, and how long each nap lasts. */
    static final long NAP_AFTER_NANOS = 200_000, NAP_NANOS = 100_000;

    /**
     * One turn of a wait for another core's block, begun at {@code since} ({@link System#nanoTime}):
     * as {@link #pause(int)} for the first 200 µs, then naps of 100 µs. A block that has not
     * arrived after 200 µs (the blocks of a step differ by tens of µs) is not running: the system
     * has given its core to another thread, in a run's first seconds the JIT compiler's. Spinning
     * on would keep this core from both; a napping waiter leaves it free, for the compiler or for
     * the late block to move to. On two cores this took Fashion-MNIST's first epoch from
     * 0.53–0.76 s to 0.46–0.52 s (steady epochs 0.18 s either way).
     */
    public static void pause(int spins, long since) {
        if ((spins & 15) == 15 && System.nanoTime() - since > NAP_AFTER_NANOS) {
            LockSupport.parkNanos(NAP_NANOS);
        } else {
            pause(spins);
        }
    }

    /** Where block p of {@code parts} starts in [0, n). */
    public static int start(int n, int p, int parts) {
        return parts <= 1 ? (p == 0 ? 0 : n) : (int) ((long) n * p / parts);
    }

    private static final Team TEAM = new Team(THREADS - 1);

    /**
     * One loop handed to the workers, read by each in one volatile read, so that a worker with no
     * block in it, lagging behind, can never mix its fields with the next one's.
     */
    private record Job(long generation, Part body, int n, int parts) {}

    /** The worker threads and the one job they share. */
    private static final class Team {
        final Worker[] workers;
        volatile Job job = new Job(0, null, 0, 0);
        final AtomicInteger pending = new AtomicInteger();
        volatile Throwable failure;

        Team(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this, i);
                workers[i].start();
            }
        }

        boolean busy; // a job is running: a loop started from its calling thread's own block runs in place

        synchronized void run(int n, int parts, Part body) {
            if (busy) {
                inPlace(n, parts, body);
                return;
            }
            busy = true;
            try {
                runJob(n, parts, body);
            } finally {
                busy = false;
            }
        }

        private void runJob(int n, int parts, Part body) {
            failure = null;
            pending.set(parts - 1);
            job = new Job(job.generation() + 1, body, n, parts);
            for (int i = 0; i < parts - 1; i++) {
                if (workers[i].sleeping) {
                    LockSupport.unpark(workers[i]);
                }
            }
            Throwable mine = null;
            try {
                body.run(parts - 1, start(n, parts - 1, parts), n);
            } catch (Throwable t) {
                mine = t;
            }
            long since = System.nanoTime();
            for (int spins = 0; pending.get() > 0; spins++) {
                pause(spins, since);
            }
            Throwable t = mine != null ? mine : failure;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }

    private static final class Worker extends Thread {
        final Team team;
        final int index;
        volatile boolean sleeping;

        Worker(Team team, int index) {
            super("descent-worker-" + index);
            this.team = team;
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                Job job;
                long idleSince = System.nanoTime();
                int spins = 0;
                while ((job = team.job).generation() == seen) {
                    if ((++spins & 255) != 0 || System.nanoTime() - idleSince < SPIN_NANOS) {
                        pause(spins);
                    } else {
                        sleeping = true;
                        if (team.job.generation() == seen) {
                            LockSupport.park(this);
                        }
                        sleeping = false;
                        idleSince = System.nanoTime();
                    }
                }
                seen = job.generation();
                if (index < job.parts() - 1) {
                    try {
                        job.body().run(index, Parallel.start(job.n(), index, job.parts()),
                                Parallel.start(job.n(), index + 1, job.parts()));
                    } catch (Throwable t) {
                        team.failure = t;
                    }
                    team.pending.decrementAndGet();
                }
            }
        }
    }
}
