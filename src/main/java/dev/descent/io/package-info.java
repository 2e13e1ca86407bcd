/**
 * The rules for the files Descent reads and writes: what an input or output path may be and
 * that none is written over another ({@link dev.descent.io.PathRules}), writes that never leave a
 * half-written file ({@link dev.descent.io.AtomicFiles}), JSON read with limits checked before
 * anything is built ({@link dev.descent.io.StrictJson}), and the heap left for it
 * ({@link dev.descent.io.Heap}).
 *
 * <p>Not here: any file format; formats live with the concept they store.
 */
package dev.descent.io;
