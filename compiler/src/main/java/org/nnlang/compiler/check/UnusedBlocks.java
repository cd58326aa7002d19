package org.nnlang.compiler.check;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nnlang.compiler.ast.Declaration;
import org.nnlang.compiler.ast.Statement;
import org.nnlang.compiler.ast.TensorExpression;
import org.nnlang.compiler.source.Diagnostics;

/**
 * Warns about blocks of the main file that no model or block anywhere in the program calls. Blocks of imported files
 * are a library's business and are not reported.
 */
public final class UnusedBlocks {
    private UnusedBlocks() {
    }

    public static void warn(ProgramLoader.Program program, Diagnostics diagnostics) {
        Set<String> called = new HashSet<>();
        for (var unit : program.units()) {
            for (Declaration declaration : unit.declarations()) {
                if (declaration instanceof Declaration.Model model) {
                    collect(model.body(), called);
                } else if (declaration instanceof Declaration.Block block) {
                    collect(block.body(), called);
                }
            }
        }
        for (Declaration declaration : program.main().declarations()) {
            if (declaration instanceof Declaration.Block block && !called.contains(block.name())) {
                diagnostics.warning(block.nameSpan(), "block '" + block.name() + "' is never used",
                        "call it from a model, e.g. " + block.name() + "(...), or remove it");
            }
        }
    }

    private static void collect(List<Statement> statements, Set<String> called) {
        for (Statement statement : statements) {
            if (statement instanceof Statement.Flow flow) {
                collect(flow.value(), called);
            } else if (statement instanceof Statement.Repeat repeat) {
                collect(repeat.body(), called);
            }
        }
    }

    private static void collect(TensorExpression expression, Set<String> called) {
        if (expression instanceof TensorExpression.Call call) {
            called.add(call.name());
        } else if (expression instanceof TensorExpression.Pipe pipe) {
            collect(pipe.source(), called);
            collect(pipe.op(), called);
        } else if (expression instanceof TensorExpression.Add add) {
            collect(add.left(), called);
            collect(add.right(), called);
        } else if (expression instanceof TensorExpression.Tuple tuple) {
            tuple.items().forEach(item -> collect(item, called));
        }
    }
}
