package org.nnlang.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;
import org.nnlang.compiler.source.Diagnostic;
import org.nnlang.compiler.source.DiagnosticPrinter;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.train.TrainingJob;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** What every command does with its {@code .nn} files: check they exist, compile them, print the diagnostics. */
final class Sources {
    private Sources() {
    }

    /** A missing file is a usage error (status 2, with the usage hint), like an unknown option. */
    static void requireFile(CommandLine commandLine, Path file) {
        if (!Files.exists(file)) {
            throw new ParameterException(commandLine, "file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new ParameterException(commandLine, file + " is a folder, expected a .nn file");
        }
    }

    static Compilation compile(Path file) {
        try {
            return Compiler.compile(file);
        } catch (CharacterCodingException e) {
            throw new NnException(file + ": not a UTF-8 text file", e);
        } catch (IOException e) {
            throw new NnException(file + ": cannot read: " + (e.getMessage() != null ? e.getMessage() : e), e);
        }
    }

    /**
     * Compiles {@code file} and takes the training job of its {@code train} block for {@code model} (or its only one),
     * printing every diagnostic to {@code err}. Empty when there are errors or no such block: the reasons have then been
     * printed, and the command should exit with {@link Main#USER_ERROR}.
     */
    static Optional<TrainingJob> trainingJob(Path file, String model, PrintStream err) {
        Compilation compilation = compile(file);
        if (compilation.hasErrors()) {
            err.println(errorCount(printDiagnostics(compilation, err)));
            return Optional.empty();
        }
        Optional<TrainingJob> found = compilation.trainingJob(model);
        int errors = printDiagnostics(compilation, err);
        if (errors > 0) {
            err.println(errorCount(errors));
            return Optional.empty();
        }
        if (found.isEmpty()) {
            // The compiler gave no reason; say what was asked for and not found.
            err.println("error: " + file + ": no train block" + (model != null ? " for model " + model : "")
                    + " that can be run");
        }
        return found;
    }

    /** Prints every diagnostic of {@code compilation}, errors and warnings, in source order; returns the errors. */
    static int printDiagnostics(Compilation compilation, PrintStream err) {
        int errors = 0;
        for (Diagnostic diagnostic : compilation.diagnostics().all()) {
            err.print(DiagnosticPrinter.format(diagnostic));
            if (diagnostic.isError()) {
                errors++;
            }
        }
        return errors;
    }

    /** The closing line after the diagnostics, as compilers print it: {@code 1 error}, {@code 3 errors}. */
    static String errorCount(int errors) {
        return errors + (errors == 1 ? " error" : " errors");
    }
}
