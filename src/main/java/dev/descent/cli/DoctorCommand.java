package dev.descent.cli;

import dev.descent.doctor.Diagnosis;
import dev.descent.doctor.Doctor;
import dev.descent.doctor.Finding;
import dev.descent.optim.GradientDescent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code descent doctor}: train while watching, then say what went wrong and what to do. */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train as 'descent train' would, while watching for a loss that rises, NaN or infinity, "
                + "dead ReLU units and contradictory data; then say what went wrong and what to do.",
                "Tells a wrong gradient (checked against central differences) from a step that is too large."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:healthy", "1:found a problem", "2:bad options or input"})
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Mixin
    LossOptions loss;

    @Mixin
    TrainingOptions training;

    @picocli.CommandLine.Option(names = "--standardize",
            description = "Standardise each feature to mean 0 and sd 1 first, as train --standardize does.")
    boolean standardize;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        requireFullBatchDescent();
        SplitOptions split = new SplitOptions();
        split.standardize = standardize;
        split.useDefaultTest = false;
        Setup setup = Setup.of(data, model, loss, training, split);
        Setup.printHeader(out, "doctor", setup.header());
        out.println("training " + setup.epochs() + " epochs while watching...");
        out.flush();

        Doctor doctor = new Doctor(setup.step(), setup.loss(), GradientDescent::new,
                setup.learningRate(), setup.epochs());
        Diagnosis diagnosis = doctor.examine(setup.network(), setup.data());

        out.println();
        for (Finding f : diagnosis.findings()) {
            print(out, f);
        }
        diagnosis.suggestedLearningRate().ifPresent(lr ->
                out.println("try:     " + suggestedCommand(lr)));
        long problems = diagnosis.findings().stream().filter(f -> f.severity() == Finding.Severity.PROBLEM).count();
        out.println();
        out.println(problems == 0 ? "verdict: healthy" : "verdict: " + problems + " problem" + (problems == 1 ? "" : "s")
                + " found");
        out.flush();
        return problems == 0 ? 0 : 1;
    }

    /** The doctor reasons about full-batch gradient descent, where a rising loss means something. */
    private void requireFullBatchDescent() {
        if (training.batch != null && !training.batch.equalsIgnoreCase("full")) {
            throw new UserError("--batch: the doctor watches full-batch gradient descent, where every rise of the "
                    + "loss means something; leave out --batch");
        }
        training.batch = "full";
        if (!training.optimizerName().equals("sgd")) {
            throw new UserError("--optimizer: the doctor watches plain gradient descent (sgd); leave out --optimizer");
        }
    }

    private static void print(PrintWriter out, Finding f) {
        String label = f.severity().toString().toLowerCase(Locale.ROOT);
        out.printf("%-8s %s%n", label + ":", f.title());
        for (String line : f.evidence()) {
            out.printf("%-8s   %s%n", "", line);
        }
        if (!f.suggestion().isEmpty()) {
            out.printf("%-8s   -> %s%n", "", f.suggestion());
        }
    }

    /** The user's own command line, as 'descent train' with the suggested learning rate. */
    private String suggestedCommand(double lr) {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        args.remove(spec.name());
        List<String> kept = new ArrayList<>(List.of("descent", "train"));
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--lr")) {
                i++;
            } else if (!a.startsWith("--lr=")) {
                kept.add(a.contains(" ") ? "'" + a + "'" : a);
            }
        }
        kept.add("--lr");
        kept.add(Doctor.format(lr));
        return String.join(" ", kept);
    }
}
