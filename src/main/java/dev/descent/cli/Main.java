package dev.descent.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point of the {@code descent} program. A user's mistake (a bad flag, a bad file) is one
 * line on standard error and exit code 2; only a bug in Descent shows a stack trace.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err));
    }

    /** Runs the program in-process, for tests and embedding; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new DescentCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, badArgs) -> {
            err.println(qualifiedName(ex.getCommandLine()) + ": " + ex.getMessage()
                    + " (see '" + qualifiedName(ex.getCommandLine()) + " --help')");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UserError) {
                err.println(qualifiedName(cmd) + ": " + ex.getMessage());
                err.flush();
                return 2;
            }
            throw ex;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String qualifiedName(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName(" ");
    }
}
