/**
 * File writing that never leaves a half-written file ({@link dev.descent.io.AtomicFiles}).
 *
 * <p>Not here: any file format; formats live with the concept they store.
 */
package dev.descent.io;
