package dev.descent.cli;

import dev.descent.checkpoint.Checkpoint;
import dev.descent.checkpoint.CheckpointFile;
import dev.descent.train.Checkpoints;
import dev.descent.train.TrainingState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Checkpoints in a directory, for {@code train --checkpoint DIR}. On Ctrl-C (SIGINT) a shutdown
 * hook asks the trainer to stop at the next step, waits for it to save, and says how to go on.
 */
final class FileCheckpoints implements Checkpoints {
    /** How long Ctrl-C waits for the current step to finish and the state to be saved. */
    static final long SAVE_TIMEOUT_SECONDS = 60;

    private final Path dir;
    private final String run;
    private final List<String> args;
    private final String dataFingerprint;
    private final int every;
    private final CountDownLatch savedOnRequest = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile TrainingState last;
    private Thread hook;

    FileCheckpoints(Path dir, String run, List<String> args, String dataFingerprint, int every) {
        this.dir = dir;
        this.run = run;
        try {
            CheckpointFile.checkArgs(args); // before the first save: a run that could not be resumed is not started
        } catch (IllegalArgumentException e) {
            throw new UserError("--checkpoint: " + e.getMessage());
        }
        this.args = List.copyOf(args);
        this.dataFingerprint = dataFingerprint;
        this.every = every;
    }

    @Override
    public int every() {
        return every;
    }

    @Override
    public boolean stopRequested() {
        return stopRequested;
    }

    @Override
    public void save(TrainingState state) {
        try {
            CheckpointFile.write(dir, new Checkpoint(run, args, dataFingerprint, state));
        } catch (IOException e) {
            throw new WriteFailure("--checkpoint", CheckpointFile.in(dir), e);
        }
        last = state;
        if (stopRequested) {
            savedOnRequest.countDown();
        }
    }

    /** Asks the trainer to stop and save, as Ctrl-C does. */
    void requestStop() {
        stopRequested = true;
    }

    /** Installs the Ctrl-C handler; {@link #close()} removes it. */
    FileCheckpoints onInterrupt(PrintStream err) {
        hook = new Thread(() -> {
            requestStop();
            try {
                if (savedOnRequest.await(SAVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    TrainingState s = last;
                    err.printf(Locale.ROOT, "%ninterrupted: saved after epoch %d%s to %s%ncontinue with: descent train --resume %s%n",
                            s.epoch(), s.batch() > 0 ? " and " + s.batch() + " batches of the next" : "", dir, dir);
                } else {
                    err.printf(Locale.ROOT, "%ninterrupted before the state could be saved; the last checkpoint in %s stands%n", dir);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "descent-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        return this;
    }

    /** Removes the Ctrl-C handler after a run that ended by itself. */
    void close() {
        savedOnRequest.countDown();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it finds the latch open
            }
        }
    }
}
