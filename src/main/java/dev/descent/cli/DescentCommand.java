package dev.descent.cli;

import dev.descent.Descent;
import picocli.CommandLine.Command;

/** The top-level {@code descent} command; the work is done by its subcommands. */
@Command(name = "descent", mixinStandardHelpOptions = true, version = "Descent " + Descent.VERSION,
        description = "Train small feed-forward neural networks with gradients you can trust.",
        subcommands = {TrainCommand.class, GradcheckCommand.class, DoctorCommand.class, EvaluateCommand.class,
                PredictCommand.class, SummaryCommand.class, WarmUpCommand.class})
public final class DescentCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
