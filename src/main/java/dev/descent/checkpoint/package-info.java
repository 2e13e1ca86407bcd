/**
 * Saved training runs: {@link dev.descent.checkpoint.Checkpoint} (the run's arguments and its
 * {@code TrainingState}) and its JSON file, from which {@code descent train --resume} continues
 * exactly where the run stopped.
 *
 * <p>Not here: deciding when to save (the trainer and its {@code Checkpoints}) or model files.
 */
package dev.descent.checkpoint;
