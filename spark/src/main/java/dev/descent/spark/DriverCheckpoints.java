package dev.descent.spark;

import dev.descent.checkpoint.Checkpoint;
import dev.descent.train.Checkpoints;
import dev.descent.train.TrainingState;
import java.util.List;

/**
 * A distributed fit's checkpoints, for the library's {@code Trainer}: the library's checkpoint
 * file after every epoch, with the fit's settings and the data's fingerprint, in a
 * {@link CheckpointDir} on the cluster's file system, so that a fit given the directory again
 * continues from it, and one of other settings or data is refused.
 */
final class DriverCheckpoints implements Checkpoints {
    private final CheckpointDir dir;
    private final String run;
    private final List<String> settings;
    private final String fingerprint;

    DriverCheckpoints(CheckpointDir dir, String run, List<String> settings, String fingerprint) {
        this.dir = dir;
        this.run = run;
        this.settings = List.copyOf(settings);
        this.fingerprint = fingerprint;
    }

    @Override
    public int every() {
        return 1;
    }

    @Override
    public void save(TrainingState state) {
        dir.write(new Checkpoint(run, settings, fingerprint, state));
    }

    @Override
    public boolean stopRequested() {
        return false;
    }
}
