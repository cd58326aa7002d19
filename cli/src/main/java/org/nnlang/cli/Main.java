package org.nnlang.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import org.nnlang.runtime.NnException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code nn} command: {@code nn check FILE...}, {@code nn train FILE}.
 *
 * <p>Exit status: 0 on success; 2 for anything the user can fix (a compile error, bad data, a wrong option), with a
 * message and never a stack trace; 1 for a bug in nnlang itself, reported as {@code nn: internal error: …}. Setting the
 * environment variable {@code NN_DEBUG=1} adds the stack trace to either.
 *
 * <p>{@link #run} is the whole command without {@link System#exit}, so tests call it in-process with their own streams.
 */
public final class Main {
    /** The command finished and did what it was asked. */
    public static final int OK = 0;
    /** A bug in nnlang: an exception nobody expected. */
    public static final int INTERNAL_ERROR = 1;
    /** The user's mistake: compile errors, bad data, bad command-line usage. */
    public static final int USER_ERROR = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code nn args} writing to {@code out} and {@code err}, and returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv());
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, reading {@code NN_DEBUG} from {@code env}. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        boolean debug = isDebug(env);
        // The progress bar is drawn only when a person is watching: on a terminal, not into a pipe, a log or a test.
        boolean interactive = err == System.err && System.console() != null && !"dumb".equals(env.get("TERM"));
        Terminal terminal = new Terminal(out, err, interactive);
        try {
            CommandLine commandLine = commandLine(terminal);
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            commandLine.setParameterExceptionHandler(Main::usageError);
            commandLine.setExecutionExceptionHandler((ex, cl, parseResult) -> failure(ex, err, debug));
            int status = commandLine.execute(args);
            out.flush();
            err.flush();
            return status;
        } catch (RuntimeException | Error e) {
            // Anything thrown past picocli's own handlers: still no raw stack trace.
            return failure(e, err, debug);
        }
    }

    /** The command tree; subcommands get the streams they print to. */
    static CommandLine commandLine(Terminal terminal) {
        CommandLine commandLine = new CommandLine(new NnCommand(terminal));
        commandLine.addSubcommand("check", new CheckCommand(terminal));
        commandLine.addSubcommand("train", new TrainCommand(terminal));
        commandLine.addSubcommand("eval", new EvalCommand(terminal));
        commandLine.addSubcommand("devices", new DevicesCommand(terminal));
        commandLine.addSubcommand("export", new ExportCommand(terminal));
        commandLine.addSubcommand("bench", new BenchCommand(terminal));
        commandLine.addSubcommand("inspect", new InspectCommand(terminal));
        commandLine.addSubcommand("diff", new DiffCommand(terminal));
        commandLine.addSubcommand("fmt", new FmtCommand(terminal));
        return commandLine;
    }

    /** Bad usage: picocli's message, a suggestion where it has one, and where to find help. Exit status 2. */
    private static int usageError(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("nn: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USER_ERROR;
    }

    /** An exception out of a command: the user's problem (status 2) or nnlang's (status 1). */
    static int failure(Throwable e, PrintStream err, boolean debug) {
        if (e instanceof NnException) {
            err.println("error: " + e.getMessage());
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return USER_ERROR;
        }
        err.println("nn: internal error: " + e + "; please report it"
                + (debug ? "" : " (set NN_DEBUG=1 for the stack trace)"));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return INTERNAL_ERROR;
    }

    private static boolean isDebug(Map<String, String> env) {
        String value = env.get("NN_DEBUG");
        return value != null && !value.isEmpty() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }
}
