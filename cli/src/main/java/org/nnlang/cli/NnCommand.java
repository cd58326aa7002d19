package org.nnlang.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nn} itself: says what the subcommands are. */
@Command(name = "nn",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "nnlang: neural networks written as .nn files, compiled to one static training graph.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Run 'nn COMMAND --help' for the options of a command.",
                "Set NN_DEBUG=1 to see stack traces of internal errors."})
final class NnCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    NnCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** {@code nn} with no command: the usage, on stderr, and the status of a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(terminal.err());
        return Main.USER_ERROR;
    }
}
