package org.nnlang.compiler.ast;

import java.util.List;
import org.nnlang.compiler.source.Span;

/** A top-level declaration of a file. {@code nameSpan} points at the declared name, for "duplicate" errors. */
public sealed interface Declaration {
    Span span();

    /** {@code import "other.nn"}: the path as written, relative to the importing file. */
    record Import(String path, Span span) implements Declaration {
    }

    /** {@code model Name(params) { body }}: a network that can be trained, checked and inspected. */
    record Model(String name, List<Parameter> parameters, List<Statement> body, Span nameSpan, Span span)
            implements Declaration {
        public Model {
            parameters = List.copyOf(parameters);
            body = List.copyOf(body);
        }
    }

    /** {@code block name(params) { body }}: a reusable piece of network, inlined at every call. */
    record Block(String name, List<Parameter> parameters, List<Statement> body, Span nameSpan, Span span)
            implements Declaration {
        public Block {
            parameters = List.copyOf(parameters);
            body = List.copyOf(body);
        }
    }

    /** {@code train Model(args) { key = value … }}. */
    record Train(String model, List<Argument> modelArguments, List<Setting> settings, Span modelSpan, Span span)
            implements Declaration {
        public Train {
            modelArguments = List.copyOf(modelArguments);
            settings = List.copyOf(settings);
        }
    }

    /** {@code distill Student from Teacher { key = value … }}. */
    record Distill(String student, String teacher, List<Setting> settings, Span studentSpan, Span teacherSpan,
                   Span span) implements Declaration {
        public Distill {
            settings = List.copyOf(settings);
        }
    }

    /** {@code prune Model { key = value … }}. */
    record Prune(String model, List<Setting> settings, Span modelSpan, Span span) implements Declaration {
        public Prune {
            settings = List.copyOf(settings);
        }
    }
}
