package dev.descent.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * The progress bar's line, fitted to the terminal: {@code epoch 3  42% [=====>     ] 197/469
 * loss 0.4321  12,345 samples/s  0:02 left}. The bar takes the room the figures leave, and never
 * less than {@link #MIN_BAR} characters: the figures are left out, least useful first (samples per
 * second, then time left, then the counts, then the loss), until it has that; so at 80 columns the bar stays
 * readable where the library's own line left {@code [ ]}. Below {@link #MIN_COLUMNS} columns the
 * reporter draws no bar at all and prints a line per epoch instead ({@link ConsoleReporter}).
 *
 * <p>The extra message holds the figures the run knows, separated by tabs, most useful first
 * ({@code loss 0.4321\t12,345 samples/s}).
 */
final class ProgressLine implements ProgressBarRenderer {
    /** The narrowest bar drawn, brackets included. */
    static final int MIN_BAR = 12;
    /** A terminal narrower than this gets lines, not a bar. */
    static final int MIN_COLUMNS = 80;

    @Override
    public String render(ProgressState s, int width) {
        return line(s.getTaskName(), s.getCurrent(), s.getMax(), s.getTotalElapsed(), s.getExtraMessage(), width);
    }

    /** The line for {@code current} of {@code max}, {@code elapsed} so far, at most {@code width} characters. */
    static String line(String task, long current, long max, Duration elapsed, String extra, int width) {
        // most useful first, dropped from the end: the loss, the counts, the time left, the speed
        List<String> optional = new ArrayList<>();
        if (extra != null && !extra.isBlank()) {
            optional.addAll(Arrays.stream(extra.trim().split("\t")).map(String::trim).toList());
        }
        optional.add(Math.min(1, optional.size()), current + "/" + max);
        String left = left(current, max, elapsed);
        if (left != null) {
            optional.add(Math.min(2, optional.size()), left);
        }
        double fraction = max > 0 ? Math.min(1, (double) current / max) : 0;
        String head = String.format(Locale.ROOT, "%s %3d%% ", task, Math.round(100 * fraction));
        while (true) {
            String tail = optional.isEmpty() ? "" : " " + String.join("  ", optional);
            int room = width - head.length() - tail.length();
            if (room >= MIN_BAR || optional.isEmpty()) {
                return head + bar(fraction, Math.max(MIN_BAR, Math.min(room, 50))) + tail;
            }
            optional.remove(optional.size() - 1);
        }
    }

    /** {@code [=====>     ]}, {@code width} characters with the brackets. */
    static String bar(double fraction, int width) {
        int inside = width - 2, done = (int) Math.floor(fraction * inside);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < inside; i++) {
            b.append(i < done ? '=' : i == done && done < inside ? '>' : ' ');
        }
        return b.append(']').toString();
    }

    /** {@code 0:02 left}, from the pace so far; null before the first step. */
    private static String left(long current, long max, Duration elapsed) {
        if (current <= 0 || current >= max) {
            return null;
        }
        long seconds = Math.round(elapsed.toMillis() / 1000.0 * (max - current) / current);
        return String.format(Locale.ROOT, "%d:%02d left", seconds / 60, seconds % 60);
    }
}
