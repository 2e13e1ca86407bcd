package dev.descent.spark;

import dev.descent.checkpoint.Checkpoint;
import dev.descent.checkpoint.CheckpointFile;
import dev.descent.train.Checkpoints;
import dev.descent.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A distributed fit's checkpoints, in a directory on the driver: the library's checkpoint file
 * after every epoch, with the fit's settings and the data's fingerprint, so that a fit given the
 * directory again continues from it, and one of other settings or data is refused.
 */
final class DriverCheckpoints implements Checkpoints {
    private final Path dir;
    private final String run;
    private final List<String> settings;
    private final String fingerprint;

    DriverCheckpoints(Path dir, String run, List<String> settings, String fingerprint) {
        this.dir = dir;
        this.run = run;
        this.settings = List.copyOf(settings);
        this.fingerprint = fingerprint;
    }

    /**
     * The checkpoint saved in {@code dir} by a fit of these settings on this data, or null when
     * there is none; a checkpoint of another fit is refused.
     */
    static Checkpoint read(Path dir, List<String> settings, String fingerprint) {
        if (dir == null || !Files.exists(CheckpointFile.in(dir))) {
            return null;
        }
        Checkpoint c;
        try {
            c = CheckpointFile.read(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!c.args().equals(settings)) {
            throw new IllegalArgumentException("the checkpoint in " + dir + " was saved by a fit with other settings: "
                    + c.args() + ", not " + settings + "; give a new checkpointDir for a new run");
        }
        if (!c.dataFingerprint().equals(fingerprint)) {
            throw new IllegalArgumentException("the checkpoint in " + dir + " was saved on other data (or other "
                    + "partitions of it): fingerprint " + c.dataFingerprint() + ", now " + fingerprint);
        }
        return c;
    }

    @Override
    public int every() {
        return 1;
    }

    @Override
    public void save(TrainingState state) {
        try {
            CheckpointFile.write(dir, new Checkpoint(run, settings, fingerprint, state));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint in " + dir, e);
        }
    }

    @Override
    public boolean stopRequested() {
        return false;
    }
}
