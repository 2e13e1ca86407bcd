package dev.descent.bench;

import dev.descent.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cost of recording a run for its page, in one JVM: {@code descent train} on Fashion-MNIST
 * (recipe fmnist-mlp, float32, 10 epochs), alternately with and without {@code --report} (the same
 * recorder as {@code --live}, and a page written at the end instead of served), ROUNDS times after
 * one untimed pair. In one process both runs share the JIT's compiled code, so the ratio is the
 * recording's own cost, free of the run-to-run spread of separate processes (bench/live.sh measures
 * those). Each figure is the training time the run prints.
 *
 * <p>Usage: {@code java -cp CP dev.descent.bench.LiveCost [ROUNDS] [DATA]}
 */
public final class LiveCost {
    private static final Pattern SECONDS = Pattern.compile("epochs? in ([0-9.]+) s");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        String data = args.length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist";
        Path report = Files.createTempFile("descent-live-cost", ".html");
        List<Double> ratios = new ArrayList<>();
        double plainSum = 0, liveSum = 0;
        for (int r = 0; r <= rounds; r++) {
            double plain = train(data, null), live = train(data, report);
            if (r == 0) {
                continue; // warm-up pair
            }
            plainSum += plain;
            liveSum += live;
            ratios.add(live / plain);
            System.out.printf(Locale.ROOT, "round %d: without %.3f s, with the recorder %.3f s, ratio %.3f%n", r, plain,
                    live, live / plain);
        }
        ratios.sort(null);
        double median = ratios.size() % 2 == 1 ? ratios.get(ratios.size() / 2)
                : (ratios.get(ratios.size() / 2 - 1) + ratios.get(ratios.size() / 2)) / 2;
        System.out.printf(Locale.ROOT, "mean without %.3f s, with %.3f s; median ratio %.3f (range %.3f to %.3f)%n",
                plainSum / rounds, liveSum / rounds, median, ratios.get(0), ratios.get(ratios.size() - 1));
        Files.deleteIfExists(report);
    }

    private static double train(String data, Path report) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data, "--no-plot", "--quiet"));
        if (report != null) {
            args.addAll(List.of("--report", report.toString()));
        }
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        Matcher m = SECONDS.matcher(out.toString());
        if (code != 0 || !m.find()) {
            throw new IllegalStateException("descent " + String.join(" ", args) + " exited with " + code + ": " + err);
        }
        return Double.parseDouble(m.group(1));
    }
}
