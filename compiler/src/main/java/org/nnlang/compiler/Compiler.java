package org.nnlang.compiler;

import java.io.IOException;
import java.nio.file.Path;
import org.nnlang.compiler.plan.PlanOptions;
import org.nnlang.compiler.source.SourceFile;

/**
 * The front door of the compiler: {@code .nn} text in, checked models and training plans out.
 * <pre>{@code
 * Compilation compilation = Compiler.compile(Path.of("examples/seed-mlp.nn"));
 * if (compilation.hasErrors()) { ... print compilation.diagnostics() ... }
 * TrainingJob job = compilation.trainingJob(null).orElseThrow();
 * }</pre>
 * It never throws for mistakes in the source: those become diagnostics.
 */
public final class Compiler {
    private Compiler() {
    }

    public static Compilation compile(Path path) throws IOException {
        return compile(SourceFile.read(path));
    }

    public static Compilation compile(SourceFile file) {
        return compile(file, PlanOptions.DEFAULT);
    }

    /** @param planOptions how to lay out the execution plans, e.g. {@link PlanOptions#NO_REUSE} to debug kernels */
    public static Compilation compile(Path path, PlanOptions planOptions) throws IOException {
        return compile(SourceFile.read(path), planOptions);
    }

    public static Compilation compile(SourceFile file, PlanOptions planOptions) {
        return Compilation.of(file, planOptions);
    }
}
