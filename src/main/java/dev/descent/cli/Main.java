package dev.descent.cli;

import dev.descent.io.Terminal;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Entry point of the {@code descent} program. A user's mistake (a bad flag, a bad file) is one
 * line on standard error and exit code 2; only a bug in Descent shows a stack trace.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // Text layout through the JDK's JNI binding of HarfBuzz, not the one over the foreign function
        // API that JDK 22 and later use by default: that one spins up method handles and stubs at
        // its first string, about 0.1 s of a run that draws a picture; the pixels are the same
        // (docs/performance.md). A JDK without the switch ignores it.
        System.setProperty("sun.font.layout.ffm", "false");
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err));
    }

    /** Runs the program in-process, for tests and embedding; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = DescentCommand.forArgs(args);
        cl.setOut(out);
        cl.setErr(err);
        strictNumbers(cl);
        cl.setParameterExceptionHandler((ex, badArgs) -> {
            err.println(qualifiedName(ex.getCommandLine()) + ": " + Terminal.escape(String.valueOf(ex.getMessage()))
                    + Suggestions.of(ex) + " (see '" + qualifiedName(ex.getCommandLine()) + " --help')");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Integer code = exitCode(ex);
            if (code == null) {
                throw ex; // a bug in Descent: the stack trace is what we need to fix it
            }
            // One line, whatever a name in it holds: a line break or an ESC sequence is shown, not acted on.
            err.println(qualifiedName(cmd) + ": " + Terminal.escape(String.valueOf(message(ex))));
            err.flush();
            return code;
        });
        int code = cl.execute(args);
        out.flush();
        if (out.checkError() && code == 0) {
            err.println("descent: standard output could not be written (a full disk, or closed?); what it shows is "
                    + "incomplete");
            code = code == 0 ? WRITE_FAILED : code;
        }
        err.flush();
        return code;
    }

    /** The exit code when an output could not be written (EX_IOERR of sysexits.h). */
    public static final int WRITE_FAILED = 74;

    /** The exit code of what a user can cause, or null for a bug. */
    private static Integer exitCode(Exception ex) {
        if (ex instanceof UserError) {
            return 2;
        }
        if (ex instanceof WriteFailure || ex instanceof UncheckedIOException) {
            return WRITE_FAILED;
        }
        return null;
    }

    private static String message(Exception ex) {
        if (ex instanceof UncheckedIOException u) {
            return "cannot read or write a file (" + WriteFailure.describe(u.getCause()) + ")";
        }
        return ex.getMessage();
    }

    /** Makes {@code cl} read every decimal option strictly, as {@link #strictDouble}. */
    static CommandLine strictNumbers(CommandLine cl) {
        cl.registerConverter(Double.class, Main::strictDouble);
        cl.registerConverter(Double.TYPE, Main::strictDouble);
        return cl;
    }

    /**
     * A number as JSON writes one ({@code 0.05}, {@code -1e-6}), or NaN and Infinity for the checks
     * that name them; not Java's other spellings ({@code 0x1p3}, {@code 2f}, {@code 1d}), which a
     * user cannot mean as numbers.
     */
    static double strictDouble(String text) {
        String t = text.strip();
        if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(NaN|Infinity)")) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a number");
        }
        return Double.parseDouble(t);
    }

    private static String qualifiedName(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName(" ");
    }
}
