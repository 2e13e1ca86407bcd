/**
 * A run as a page: {@link dev.descent.live.LiveServer} serves it on 127.0.0.1 while the run trains
 * ({@code descent train --live}), and {@link dev.descent.live.Report} writes it as one
 * self-contained HTML file ({@code --report}). Both show the events a
 * {@link dev.descent.live.RunLog} holds: the curves per epoch and a smoothed per-batch loss
 * ({@link dev.descent.live.LiveRecorder}), the doctor's per-layer figures
 * ({@link dev.descent.live.LayerProbe}), findings, and the evaluation. The charts are uPlot's,
 * inlined from its webjar; the server is the JDK's own.
 *
 * <p>Not here: the figures' formulas (the doctor's), anything that changes a run, or any file
 * served from disk.
 */
package dev.descent.live;
