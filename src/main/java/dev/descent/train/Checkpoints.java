package dev.descent.train;

/**
 * Where a trainer saves its state: every {@link #every()} epochs, at the end, and at the next
 * batch boundary after {@link #stopRequested()} turns true (Ctrl-C), after which it stops.
 */
public interface Checkpoints {
    /** Epochs between two saves; at least 1. */
    int every();

    /** Saves the state; a failure here ends training with the exception. */
    void save(TrainingState state);

    /** Whether the run has been asked to stop (checked after every step). */
    boolean stopRequested();
}
