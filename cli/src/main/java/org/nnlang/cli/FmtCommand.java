package org.nnlang.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.nnlang.compiler.format.Formatter;
import org.nnlang.compiler.source.Diagnostic;
import org.nnlang.compiler.source.DiagnosticPrinter;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.runtime.NnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nn fmt FILE... [--check | --write]}: prints {@code .nn} files in the one canonical layout ({@link Formatter}),
 * keeping every comment. A file with syntax errors is left alone: its errors are printed instead.
 */
@Command(name = "fmt",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Lay out .nn files in the canonical style: four-space indents, one statement per line, "
                + "aligned settings. Comments are kept.",
                "Prints the formatted files unless --check or --write is given."},
        footer = {"", "Examples:",
                "  nn fmt model.nn                 print the formatted file",
                "  nn fmt --write examples/*.nn    rewrite the files in place",
                "  nn fmt --check examples/*.nn    for CI: fail if any file is not formatted",
                "",
                "Exit status: 0 on success; 1 with --check when a file is not formatted; 2 when a file has syntax "
                        + "errors or cannot be read."})
final class FmtCommand implements Callable<Integer> {
    /** {@code --check} found a file that is not formatted: a finding, not a mistake of the user's (that is 2). */
    static final int NOT_FORMATTED = 1;

    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .nn files to format")
    List<Path> files;

    @Option(names = "--check", description = "print nothing but the files that are not formatted, and exit with "
            + "status 1 if there is any")
    boolean check;

    @Option(names = "--write", description = "rewrite the files that are not formatted, in place")
    boolean write;

    FmtCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (check && write) {
            throw new ParameterException(spec.commandLine(), "--check and --write cannot be used together");
        }
        for (Path file : files) {
            Sources.requireFile(spec.commandLine(), file);
        }
        PrintStream out = terminal.out();
        PrintStream err = terminal.err();
        int errors = 0;
        boolean unformatted = false;
        for (Path file : files) {
            SourceFile source = read(file);
            Diagnostics diagnostics = new Diagnostics();
            String formatted = Formatter.format(source, diagnostics);
            if (formatted == null) {
                for (Diagnostic diagnostic : diagnostics.all()) {
                    err.print(DiagnosticPrinter.format(diagnostic));
                    errors += diagnostic.isError() ? 1 : 0;
                }
                continue;
            }
            boolean changed = !formatted.equals(source.text());
            if (check) {
                if (changed) {
                    out.println(file);
                    unformatted = true;
                }
            } else if (write) {
                if (changed) {
                    writeAtomically(file, formatted);
                    out.println("formatted " + file);
                }
            } else {
                out.print(formatted);
            }
        }
        out.flush();
        if (errors > 0) {
            err.println(Sources.errorCount(errors) + "; files with syntax errors were not formatted");
            err.flush();
            return Main.USER_ERROR;
        }
        if (unformatted) {
            err.println("some files are not formatted; run 'nn fmt --write' on them");
            err.flush();
            return NOT_FORMATTED;
        }
        return Main.OK;
    }

    private static SourceFile read(Path file) {
        try {
            return SourceFile.read(file);
        } catch (CharacterCodingException e) {
            throw new NnException(file + ": not a UTF-8 text file", e);
        } catch (IOException e) {
            throw new NnException(file + ": cannot read: " + (e.getMessage() != null ? e.getMessage() : e), e);
        }
    }

    /** Writes a temporary file next to {@code file}, then moves it over: a crash never leaves half a file. */
    private static void writeAtomically(Path file, String text) {
        Path target = file.toAbsolutePath();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the original file is untouched; a stray temporary file is the lesser problem
                }
            }
            throw new NnException(file + ": cannot write: " + (e.getMessage() != null ? e.getMessage() : e), e);
        }
    }
}
