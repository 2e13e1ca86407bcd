package dev.descent.cli;

import dev.descent.Descent;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code descent} command; the work is done by its subcommands. */
@Command(name = "descent", mixinStandardHelpOptions = true, version = "Descent " + Descent.VERSION,
        description = "Train small feed-forward neural networks with gradients you can trust.")
public final class DescentCommand implements Runnable {
    /** The subcommands, in the order {@code --help} lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(TrainCommand.class, CvCommand.class, GradcheckCommand.class,
            DoctorCommand.class, EvaluateCommand.class, PredictCommand.class, SummaryCommand.class,
            ExportCommand.class, WarmUpCommand.class);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The command line for {@code args}: with only the subcommand that {@code args} name first, when
     * they name one, else with all of them (for {@code --help}, a mistyped name's suggestions).
     * picocli reads each subcommand's annotations when it is added, a few milliseconds apiece that
     * every command paid for all seven.
     */
    static CommandLine forArgs(String[] args) {
        CommandLine cl = new CommandLine(new DescentCommand());
        for (Class<?> sub : SUBCOMMANDS) {
            if (args.length > 0 && args[0].equals(sub.getAnnotation(Command.class).name())) {
                return cl.addSubcommand(sub);
            }
        }
        SUBCOMMANDS.forEach(cl::addSubcommand);
        return cl;
    }
}
