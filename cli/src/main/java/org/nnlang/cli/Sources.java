package org.nnlang.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;
import org.nnlang.compiler.source.Diagnostic;
import org.nnlang.compiler.source.DiagnosticPrinter;
import org.nnlang.runtime.NnException;
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
