package dev.descent.checkpoint;

import dev.descent.train.TrainingState;
import java.util.List;

/**
 * A saved training run: who it is, the command-line arguments that started it, so a resumed run is
 * set up exactly as the original was, and the state to continue from.
 *
 * @param run             the run's identity, made when it started and kept by every resumption
 * @param args            the arguments of {@code descent train}, with every path made absolute
 *                        and without {@code --checkpoint}: the run's directory is where it is read from
 * @param dataFingerprint the training data's {@code Dataset.fingerprint()}, to refuse resuming on other data
 * @param state           where training stood
 */
public record Checkpoint(String run, List<String> args, String dataFingerprint, TrainingState state) {
    public Checkpoint {
        args = List.copyOf(args);
    }
}
