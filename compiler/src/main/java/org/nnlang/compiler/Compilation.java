package org.nnlang.compiler;

import java.util.List;
import java.util.Optional;
import org.nnlang.compiler.ast.CompilationUnit;
import org.nnlang.compiler.parse.SourceParser;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.runtime.train.TrainingJob;

/** The result of compiling one file: its diagnostics, and what could be built from it. (Being written.) */
public final class Compilation {
    private final Diagnostics diagnostics;
    private final CompilationUnit unit;

    private Compilation(Diagnostics diagnostics, CompilationUnit unit) {
        this.diagnostics = diagnostics;
        this.unit = unit;
    }

    static Compilation of(SourceFile file) {
        Diagnostics diagnostics = new Diagnostics();
        CompilationUnit unit = SourceParser.parse(file, diagnostics);
        return new Compilation(diagnostics, unit);
    }

    public Diagnostics diagnostics() {
        return diagnostics;
    }

    public boolean hasErrors() {
        return diagnostics.hasErrors();
    }

    public CompilationUnit unit() {
        return unit;
    }

    /** One summary per model of the file, in source order; empty when the file has errors. */
    public List<ModelSummary> models() {
        return List.of();
    }

    /**
     * The training job of the {@code train} block for {@code modelName}, or of the file's only {@code train} block
     * when {@code modelName} is null. Empty when there is none or it does not compile; the reasons are then in
     * {@link #diagnostics()}.
     */
    public Optional<TrainingJob> trainingJob(String modelName) {
        return Optional.empty();
    }
}
