package org.nnlang.compiler.parse;

import org.nnlang.compiler.ast.CompilationUnit;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.SourceFile;

/** Stage 1: .nn text → AST. The one class that touches ANTLR. (Placeholder until the grammar lands.) */
public final class SourceParser {
    private SourceParser() {
    }

    /** Parses {@code file}, reporting syntax errors to {@code diagnostics}; returns what could be recovered. */
    public static CompilationUnit parse(SourceFile file, Diagnostics diagnostics) {
        throw new UnsupportedOperationException("parser not written yet");
    }
}
