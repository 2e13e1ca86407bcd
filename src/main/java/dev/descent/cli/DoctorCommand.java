package dev.descent.cli;

import dev.descent.doctor.Diagnosis;
import dev.descent.doctor.DiagnosisJson;
import dev.descent.doctor.Doctor;
import dev.descent.doctor.Finding;
import dev.descent.io.Terminal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.descent.io.PathRules;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code descent doctor}: train as {@code descent train} would, while watching; then say what went wrong and what to do. */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run 'descent train' with the same options and defaults (mini-batches, optimizer, dtype, "
                + "validation, test set) while watching it; then print findings with their evidence and a fix.",
                "Checks the data before training, the gradients at the start and after a rise, the loss, the units "
                        + "and the held-out data; tries cheap fixes with short probes from the same start.",
                "See docs/diagnostics.md for every finding and the rule that fires it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:healthy", "1:found a problem", "2:bad options or input"})
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    SplitOptions split;

    @Mixin
    ModelOptions model;

    @Mixin
    LossOptions loss;

    @Mixin
    TrainingOptions training;

    @Mixin
    LiveOptions liveOptions;

    @Option(names = "--json", description = "Print the findings as one JSON document instead of text.")
    boolean json;

    // train's output options: accepted so that a train command line runs as it is; the doctor writes no files.
    @Option(names = "--save", paramLabel = "MODEL", description = "As for train; the doctor writes no model.")
    Path save;

    @Option(names = "--history", paramLabel = "FILE.csv", description = "As for train; not written.")
    Path history;

    @Option(names = "--plot", paramLabel = "FILE", description = "As for train; not drawn.")
    Path plot;

    @Option(names = "--no-plot", description = "As for train.")
    boolean noPlot;

    @Option(names = "--log-scale", description = "As for train.")
    boolean logScale;

    @Option(names = "--quiet", description = "As for train.")
    boolean quiet;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "As for train; the doctor saves no checkpoints.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "As for train.")
    Integer checkpointEvery;

    @Option(names = "--max-time", paramLabel = "SECONDS", description = "As for train; the doctor runs the whole run.")
    Double maxTime;

    @Option(names = "--resume", paramLabel = "DIR", description = "Refused: the doctor watches a run from its start.")
    Path resume;

    @Override
    public Integer call() {
        if (resume != null) {
            throw new UserError("--resume: the doctor watches a run from its start; give the run's own options instead");
        }
        PathRules paths = new PathRules();
        liveOptions.check(paths);
        Outputs.distinct(paths);
        try (LiveSession live = LiveSession.open(liveOptions)) {
            return examine(live);
        }
    }

    private int examine(LiveSession live) {
        PrintWriter out = spec.commandLine().getOut();
        Setup setup = Setup.of(data, model, loss, training, split);
        Map<String, String> header = setup.header();
        live.header(header);
        live.started("doctor", header, Map.of(), setup.recipe().epochs(), setup.lossLabel());
        if (!json) {
            Setup.printHeader(out, "doctor", header);
            out.println("training " + setup.recipe().epochs() + " epochs while watching...");
            out.flush();
        }
        // The run's own recipe; the page shows the step its optimizer (the run's constants) would take
        // from each sample's parameters.
        Doctor doctor = new Doctor(setup.recipe()).validation(setup.validation()).test(setup.test())
                .featureNames(FeatureNames.of(data, setup.data().featureCount()))
                .listener(live.recorder(setup, setup.recipe()::newOptimizer, List.of()))
                .onFinding(live::finding);
        Diagnosis diagnosis = doctor.examine(setup.network(), setup.data());
        String command = diagnosis.fix().isEmpty() ? null : suggestedCommand(diagnosis.fix());
        live.ended("verdict: " + (diagnosis.healthy() ? "healthy" : diagnosis.problems() + " problem"
                + (diagnosis.problems() == 1 ? "" : "s") + " found") + (command == null ? "" : "; try: " + command), 0);
        if (json) {
            out.println(DiagnosisJson.of(diagnosis, command));
            out.flush();
            live.serve(spec.commandLine().getErr());
            return diagnosis.healthy() ? 0 : 1;
        }
        out.println();
        if (diagnosis.heldOut() != null) {
            out.printf(Locale.ROOT, "%-8s %s%n", "judged:", diagnosis.heldOut());
        }
        for (Finding f : diagnosis.findings()) {
            print(out, f);
        }
        if (command != null) {
            out.println("try:     " + command);
        }
        String label = command != null ? "" : "no fix:";
        for (String line : diagnosis.verification()) { // verified, or what was tried in its place
            out.printf(Locale.ROOT, "%-8s   %s%n", label, line);
            label = "";
        }
        long problems = diagnosis.problems();
        out.println();
        out.println(problems == 0 ? "verdict: healthy" : "verdict: " + problems + " problem" + (problems == 1 ? "" : "s")
                + " found");
        live.serve(out);
        return problems == 0 ? 0 : 1;
    }

    private static void print(PrintWriter out, Finding f) {
        String label = f.severity().toString().toLowerCase(Locale.ROOT);
        out.printf(Locale.ROOT, "%-8s %s%n", label + ":", Terminal.escape(f.title())); // names from the data, shown not acted on
        for (String line : f.evidence()) {
            out.printf(Locale.ROOT, "%-8s   %s%n", "", Terminal.escape(line));
        }
        if (!f.suggestion().isEmpty()) {
            out.printf(Locale.ROOT, "%-8s   -> %s%n", "", Terminal.escape(f.suggestion()));
        }
    }

    /** The user's whole command line, as 'descent train', with the fix's options in place of their own. */
    private String suggestedCommand(List<String> fix) {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals(spec.name())) {
            args.remove(0);
        }
        args.removeIf(a -> a.equals("--json"));
        List<String> flags = fix.stream().filter(a -> a.startsWith("--")).toList();
        List<String> kept = new ArrayList<>(List.of("descent", "train"));
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (flags.contains(name)) {
                boolean takesValue = spec.findOption(name) != null && spec.findOption(name).arity().max > 0;
                if (takesValue && !a.contains("=")) {
                    i++;
                }
            } else {
                kept.add(a.contains(" ") ? "'" + a + "'" : a);
            }
        }
        kept.addAll(fix);
        return String.join(" ", kept);
    }
}
