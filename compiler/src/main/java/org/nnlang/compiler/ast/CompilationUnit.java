package org.nnlang.compiler.ast;

import java.util.List;
import org.nnlang.compiler.source.SourceFile;

/** One parsed {@code .nn} file: its declarations in the order they were written. */
public record CompilationUnit(SourceFile file, List<Declaration> declarations) {
    public CompilationUnit {
        declarations = List.copyOf(declarations);
    }
}
