package org.nnlang.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.ModelSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nn check FILE...}: compile, report every error and warning, and summarise each model. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Compile .nn files and report every error and warning without training anything.",
                "Prints one line per model: its name, trainable parameters and output shape."},
        footer = {"", "Exit status: 0 when every file compiles, 2 when any has errors."})
final class CheckCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .nn files to check")
    List<Path> files;

    CheckCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        for (Path file : files) {
            Sources.requireFile(spec.commandLine(), file);
        }
        int errors = 0;
        for (Path file : files) {
            Compilation compilation = Sources.compile(file);
            errors += Sources.printDiagnostics(compilation, terminal.err());
            if (!compilation.hasErrors()) {
                for (ModelSummary model : compilation.models()) {
                    terminal.out().println(model);
                }
            }
        }
        terminal.out().flush();
        if (errors > 0) {
            terminal.err().println(Sources.errorCount(errors));
            terminal.err().flush();
            return Main.USER_ERROR;
        }
        return Main.OK;
    }
}
