package dev.descent.checkpoint;

import dev.descent.train.TrainingState;
import java.util.List;

/**
 * A saved training run: the command-line arguments that started it, so a resumed run is set up
 * exactly as the original was, and the state to continue from.
 *
 * @param args            the arguments of {@code descent train}, as given
 * @param dataFingerprint the training data's {@code Dataset.fingerprint()}, to refuse resuming on other data
 * @param state           where training stood
 */
public record Checkpoint(List<String> args, String dataFingerprint, TrainingState state) {
    public Checkpoint {
        args = List.copyOf(args);
    }
}
