package org.nnlang.compiler.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nnlang.compiler.ast.Declaration;
import org.nnlang.compiler.ast.Expression;
import org.nnlang.compiler.ast.Statement;
import org.nnlang.compiler.ast.TensorExpression;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.TensorType;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ir.ValueKind;
import org.nnlang.compiler.ops.Add;
import org.nnlang.compiler.ops.LayerOp;
import org.nnlang.compiler.ops.LayerOps;
import org.nnlang.compiler.ops.ShapeException;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.Span;
import org.nnlang.compiler.source.Suggestions;

/**
 * Stage 2: a model's AST → its forward graph, checking names, attributes and shapes on the way.
 *
 * <p>Statements run top to bottom. Each one's value becomes the "current" value, which the next statement continues
 * from when it starts with an op. Named values ({@code h = …}) can be read by any later statement.
 *
 * <p>After an error the checker keeps going with the other statements, but a statement whose input failed is skipped
 * quietly: one mistake, one message.
 */
public final class ModelChecker {
    private final Declaration.Model model;
    private final Map<String, Object> parameters;
    private final Set<String> blockNames;
    private final Diagnostics diagnostics;
    private final GraphBuilder graph;
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final Map<String, Span> definedAt = new HashMap<>();
    private final Map<String, Integer> opCounts = new HashMap<>();
    /** Set once any statement failed: later statements must not add "has no input" noise. */
    private boolean failed;

    private ModelChecker(Declaration.Model model, Map<String, Object> parameters, Set<String> blockNames,
                         Diagnostics diagnostics) {
        this.model = model;
        this.parameters = parameters;
        this.blockNames = blockNames;
        this.diagnostics = diagnostics;
        this.graph = new GraphBuilder(model.name());
    }

    /**
     * @param parameters the model's parameters with their values for this instance
     * @param blockNames the blocks declared in the file (for "did you mean" and a clear "not supported" message)
     * @return the forward graph, or {@code null} when the model has errors (all reported)
     */
    public static Graph check(Declaration.Model model, Map<String, Object> parameters, Set<String> blockNames,
                              Diagnostics diagnostics) {
        return new ModelChecker(model, parameters, blockNames, diagnostics).run();
    }

    private Graph run() {
        int errorsBefore = diagnostics.errorCount();
        Value input = null;
        Value current = null;
        Value output = null;
        for (Statement statement : model.body()) {
            if (statement instanceof Statement.Input in) {
                if (input != null) {
                    diagnostics.error(in.nameSpan(), "model '" + model.name() + "' already has an input ('"
                            + input.name() + "'); a model takes exactly one");
                    continue;
                }
                input = declareInput(in);
                current = input;
                failed |= input == null;
            } else if (statement instanceof Statement.Flow flow) {
                if (input == null && !failed) {
                    diagnostics.error(flow.span(), "model '" + model.name() + "' has no input yet",
                            "declare the shape of one sample first, e.g. input x: [1, 28, 28]");
                    failed = true;
                }
                Value value = failed && current == null ? null : evaluate(flow.value(), current, flow.target());
                if (value == null) {
                    failed = true;
                }
                current = value;
                if (flow.target() != null && value != null) {
                    define(flow.target(), value, flow.targetSpan());
                }
            } else if (statement instanceof Statement.Output out) {
                output = values.get(out.name());
                if (output == null && !failed) {
                    diagnostics.error(out.span(), "unknown value '" + out.name() + "' in output",
                            Suggestions.didYouMean(out.name(), values.keySet()));
                }
            }
        }
        if (input == null && !failed) {
            diagnostics.error(model.nameSpan(), "model '" + model.name() + "' has no input",
                    "declare the shape of one sample, e.g. input x: [1, 28, 28]");
        }
        if (output == null) {
            output = current;
        }
        if (diagnostics.errorCount() > errorsBefore || output == null) {
            return null;
        }
        return graph.build(output, null);
    }

    private Value declareInput(Statement.Input in) {
        List<Integer> dims = new ArrayList<>();
        for (Expression e : in.dimensions()) {
            Object value = Constants.evaluate(e, parameters, diagnostics);
            if (value == null) {
                return null;
            }
            if (!(value instanceof Integer size) || size < 1) {
                diagnostics.error(e.span(), "input dimensions must be positive integers, found "
                        + Describe.value(value));
                return null;
            }
            dims.add(size);
        }
        if (dims.isEmpty()) {
            diagnostics.error(in.span(), "input '" + in.name() + "' needs a shape, e.g. [1, 28, 28]");
            return null;
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        Value value = graph.input(in.name(), ValueKind.INPUT, TensorType.batched(shape), in.nameSpan());
        define(in.name(), value, in.nameSpan());
        return value;
    }

    private void define(String name, Value value, Span span) {
        Span previous = definedAt.get(name);
        if (previous != null) {
            diagnostics.error(span, "'" + name + "' is already defined", "first defined at " + previous);
            return;
        }
        values.put(name, value);
        definedAt.put(name, span);
    }

    /**
     * The value of {@code expression}, where a leading op reads {@code current}; null after an error.
     *
     * @param name the name the statement gives its value ({@code h = …}), or null; the op that produces the value
     *             takes it for itself and its parameters ({@code h.weight}), so dumps read like the source
     */
    private Value evaluate(TensorExpression expression, Value current, String name) {
        if (expression instanceof TensorExpression.Call call) {
            if (!call.hasParentheses() && values.containsKey(call.name())) {
                return values.get(call.name());
            }
            return current == null ? null : apply(call, current, name);
        } else if (expression instanceof TensorExpression.Pipe pipe) {
            Value source = evaluate(pipe.source(), current, null);
            return source == null ? null : apply(pipe.op(), source, name);
        } else if (expression instanceof TensorExpression.Add add) {
            return add(add, current, name);
        } else {
            diagnostics.error(expression.span(), "a tuple of tensors can only flow into concat, "
                    + "which this version does not implement yet");
            return null;
        }
    }

    private Value add(TensorExpression.Add add, Value current, String name) {
        Value left = evaluate(add.left(), current, null);
        Value right = evaluate(add.right(), current, null);
        if (left == null || right == null) {
            return null;
        }
        try {
            return graph.addOne(Add.KIND, List.of(left, right), Map.of(), "+", add.span(),
                    name != null ? name : left.name() + "_plus_" + right.name());
        } catch (ShapeException e) {
            diagnostics.error(add.span(), "'+' needs two tensors of the same shape, but '" + left.name() + "' is "
                    + left.type() + " and '" + right.name() + "' is " + right.type());
            return null;
        }
    }

    private Value apply(TensorExpression.Call call, Value input, String name) {
        LayerOp op = LayerOps.find(call.name()).orElse(null);
        if (op == null) {
            reportUnknownOp(call);
            return null;
        }
        Map<String, Object> attributes = AttributeBinder.bind(call.name(), op.signature(), call.arguments(),
                parameters, call.span(), diagnostics);
        if (attributes == null) {
            return null;
        }
        String scope = name != null ? name : op.name() + opCounts.merge(op.name(), 1, Integer::sum);
        try {
            return op.apply(graph, input, attributes, scope, Describe.call(call), call.nameSpan());
        } catch (ShapeException e) {
            diagnostics.error(call.nameSpan(), e.getMessage());
            return null;
        }
    }

    private void reportUnknownOp(TensorExpression.Call call) {
        String name = call.name();
        if (LayerOps.PLANNED.contains(name)) {
            diagnostics.error(call.nameSpan(), "op '" + name + "' is part of the language but not implemented yet",
                    "implemented ops: " + String.join(", ", LayerOps.names()));
        } else if (blockNames.contains(name)) {
            diagnostics.error(call.nameSpan(), "calling block '" + name + "' is not implemented yet");
        } else {
            Set<String> known = new TreeSet<>(LayerOps.names());
            known.addAll(blockNames);
            boolean bare = !call.hasParentheses();
            if (bare) {
                known.addAll(values.keySet());
            }
            diagnostics.error(call.nameSpan(), (bare ? "unknown op or value '" : "unknown op '") + name + "'",
                    Suggestions.didYouMean(name, known));
        }
    }
}
