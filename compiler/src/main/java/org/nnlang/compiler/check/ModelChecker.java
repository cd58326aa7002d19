package org.nnlang.compiler.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
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
 * Stage 2: a model's AST → its forward graph, checking names, attributes and shapes on the way. Blocks are inlined
 * at every call, {@code repeat} is unrolled, so the graph holds only primitive nodes.
 *
 * <p>Statements run top to bottom. Each one's value becomes the "current" value, which the next statement continues
 * from when it starts with an op. Named values ({@code h = …}) can be read by any later statement of the same body.
 *
 * <p>After an error the checker keeps going with the other statements, but a statement whose input failed is skipped
 * quietly: one mistake, one message. Errors inside a block carry the chain of calls that led there.
 */
public final class ModelChecker {
    private final Declaration.Model model;
    private final Declarations declarations;
    private final Diagnostics diagnostics;
    private final GraphBuilder graph;
    /** The blocks being inlined, innermost first, for recursion checks and "in block … called at …" notes. */
    private final Deque<CallSite> callChain = new ArrayDeque<>();
    private final Map<String, Integer> blockCounts = new HashMap<>();
    private Value modelInput;

    private record CallSite(String block, Span span) {
    }

    /** A value that failed to compute; statements reading it are skipped without a second message. */
    private static final Value POISON = null;

    private ModelChecker(Declaration.Model model, Declarations declarations, Diagnostics diagnostics) {
        this.model = model;
        this.declarations = declarations;
        this.diagnostics = diagnostics;
        this.graph = new GraphBuilder(model.name());
    }

    /**
     * @param parameters the model's parameters with their values for this instance
     * @return the forward graph, or {@code null} when the model has errors (all reported)
     */
    public static Graph check(Declaration.Model model, Map<String, Object> parameters, Declarations declarations,
                              Diagnostics diagnostics) {
        return new ModelChecker(model, declarations, diagnostics).run(parameters);
    }

    private Graph run(Map<String, Object> parameters) {
        int errorsBefore = diagnostics.errorCount();
        Value output = body(model.body(), Scope.root("", parameters), null, true);
        if (modelInput == null && diagnostics.errorCount() == errorsBefore) {
            diagnostics.error(model.nameSpan(), "model '" + model.name() + "' has no input",
                    "declare the shape of one sample, e.g. input x: [1, 28, 28]");
        }
        if (diagnostics.errorCount() > errorsBefore || output == null) {
            return null;
        }
        return graph.build(output, null);
    }

    /**
     * Checks the statements of a model or block body.
     *
     * @param current  the value flowing in (a block's argument), or null for a model
     * @param isModel  a model's {@code input} line declares the data; a block's names and checks its argument
     * @return the body's result: the value named by {@code output}, else the last value; null after an error
     */
    private Value body(List<Statement> statements, Scope scope, Value current, boolean isModel) {
        boolean failed = false;
        Value explicitOutput = null;
        for (Statement statement : statements) {
            if (statement instanceof Statement.Input in) {
                Value value = isModel ? declareModelInput(in, scope) : bindBlockInput(in, scope, current);
                failed |= value == POISON;
                current = value;
            } else if (statement instanceof Statement.Flow flow) {
                if (current == null && !failed && startsWithOp(flow.value(), scope)) {
                    report(flow.span(), "this statement has no input to continue from",
                            isModel ? "declare the shape of one sample first, e.g. input x: [1, 28, 28]"
                                    : "start the statement from a named value, e.g. y = x -> relu");
                    failed = true;
                }
                Value value = failed && current == null ? POISON : evaluate(flow.value(), current, scope, flow.target());
                failed |= value == POISON;
                current = value;
                if (flow.target() != null && value != POISON) {
                    define(scope, flow.target(), value, flow.targetSpan());
                }
            } else if (statement instanceof Statement.Repeat repeat) {
                Value value = current == null ? POISON : repeat(repeat, scope, current);
                failed |= value == POISON;
                current = value;
            } else if (statement instanceof Statement.Output out) {
                explicitOutput = scope.lookup(out.name());
                if (explicitOutput == null && !failed) {
                    report(out.span(), "unknown value '" + out.name() + "' in output",
                            Suggestions.didYouMean(out.name(), scope.valueNames()));
                    failed = true;
                }
            }
        }
        Value result = explicitOutput != null ? explicitOutput : current;
        if (!failed) {
            warnUnused(scope, result);
        }
        return failed ? POISON : result;
    }

    private void warnUnused(Scope scope, Value result) {
        for (Map.Entry<String, Span> unused : scope.unused(result)) {
            diagnostics.warning(unused.getValue(), "value '" + unused.getKey() + "' is never used",
                    withChain("use it, make it the output, or remove the name"));
        }
    }

    private Value declareModelInput(Statement.Input in, Scope scope) {
        if (modelInput != null) {
            report(in.nameSpan(), "model '" + model.name() + "' already has an input ('" + modelInput.name()
                    + "'); a model takes exactly one");
            return POISON;
        }
        List<Integer> dims = new ArrayList<>();
        for (Expression e : in.dimensions()) {
            Object value = Constants.evaluate(e, scope.constants(), diagnostics);
            if (value == null) {
                return POISON;
            }
            if (!(value instanceof Integer size) || size < 1) {
                report(e.span(), "input dimensions must be positive integers, found " + Describe.value(value));
                return POISON;
            }
            dims.add(size);
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        modelInput = graph.input(in.name(), ValueKind.INPUT, TensorType.batched(shape), in.nameSpan());
        define(scope, in.name(), modelInput, in.nameSpan());
        scope.lookup(in.name()); // the input always flows on, so it never counts as unused
        return modelInput;
    }

    /**
     * A block's {@code input x: [c, h, w]} names the value it was called with and checks its shape. A dimension
     * that is a constant (a number or a block parameter) must match; a new name (a symbolic dimension such as
     * {@code h}) is bound to the actual size at this call, must be the same wherever it appears, and can then be used
     * like a parameter.
     */
    private Value bindBlockInput(Statement.Input in, Scope scope, Value argument) {
        if (argument == null) {
            return POISON;
        }
        TensorType actual = argument.type();
        CallSite call = callChain.peek();
        String expected = in.dimensions().stream().map(Describe::expression)
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        if (actual.rank() != in.dimensions().size() || !actual.isBatched()) {
            mismatchAtCall(call, "block '" + call.block() + "' expects an input " + expected + " (rank "
                    + in.dimensions().size() + " per sample), but '" + argument.name() + "' is " + actual, in);
            return POISON;
        }
        for (int i = 0; i < actual.rank(); i++) {
            Expression dim = in.dimensions().get(i);
            int size = actual.dim(i);
            if (dim instanceof Expression.Name name && !scope.constants().containsKey(name.name())) {
                scope.bindConstant(name.name(), size);
                continue;
            }
            Object want = Constants.evaluate(dim, scope.constants(), diagnostics);
            if (want == null) {
                return POISON;
            }
            if (!(want instanceof Integer) || (Integer) want != size) {
                mismatchAtCall(call, "block '" + call.block() + "' expects an input " + expected + ", but '"
                        + argument.name() + "' is " + actual + ": dimension " + (i + 1) + " is " + size
                        + ", expected " + Describe.expression(dim) + " = " + want, in);
                return POISON;
            }
        }
        define(scope, in.name(), argument, in.nameSpan());
        scope.lookup(in.name());
        return argument;
    }

    private void mismatchAtCall(CallSite call, String message, Statement.Input declared) {
        // Reported where the block is called, since that is where the wrong value comes from; the notes show what
        // the block declared and how the call was reached.
        CallSite inner = callChain.pop();
        try {
            report(call.span(), message, "the block declares its input at " + declared.span());
        } finally {
            callChain.push(inner);
        }
    }

    private Value repeat(Statement.Repeat repeat, Scope scope, Value current) {
        Object count = Constants.evaluate(repeat.count(), scope.constants(), diagnostics);
        if (count == null) {
            return POISON;
        }
        if (!(count instanceof Integer times) || times < 1) {
            report(repeat.count().span(), "repeat needs a positive integer count, found " + Describe.value(count));
            return POISON;
        }
        Value value = current;
        for (int round = 0; round < times && value != POISON; round++) {
            value = body(repeat.body(), scope.child(), value, false);
        }
        return value;
    }

    private void define(Scope scope, String name, Value value, Span span) {
        Span previous = scope.definedAt(name);
        if (previous != null) {
            report(span, "'" + name + "' is already defined", "first defined at " + previous);
            return;
        }
        scope.define(name, value, span);
    }

    private boolean startsWithOp(TensorExpression expression, Scope scope) {
        while (expression instanceof TensorExpression.Pipe pipe) {
            expression = pipe.source();
        }
        return expression instanceof TensorExpression.Call call
                && (call.hasParentheses() || !scope.hasValue(call.name()));
    }

    /**
     * The value of {@code expression}, where a leading op reads {@code current}; null after an error.
     *
     * @param name the name the statement gives its value ({@code h = …}), or null; the op that produces the value
     *             takes it for itself and its parameters ({@code h.weight}), so dumps read like the source
     */
    private Value evaluate(TensorExpression expression, Value current, Scope scope, String name) {
        if (expression instanceof TensorExpression.Call call) {
            if (!call.hasParentheses() && scope.hasValue(call.name())) {
                return scope.lookup(call.name());
            }
            return current == null ? POISON : apply(call, List.of(current), scope, name);
        } else if (expression instanceof TensorExpression.Pipe pipe) {
            if (pipe.source() instanceof TensorExpression.Tuple tuple) {
                List<Value> items = new ArrayList<>();
                for (TensorExpression item : tuple.items()) {
                    Value v = evaluate(item, current, scope, null);
                    if (v == POISON) {
                        return POISON;
                    }
                    items.add(v);
                }
                return apply(pipe.op(), items, scope, name);
            }
            Value source = evaluate(pipe.source(), current, scope, null);
            return source == POISON ? POISON : apply(pipe.op(), List.of(source), scope, name);
        } else if (expression instanceof TensorExpression.Add add) {
            return add(add, current, scope, name);
        } else {
            TensorExpression.Tuple tuple = (TensorExpression.Tuple) expression;
            if (tuple.items().size() == 1) {
                return evaluate(tuple.items().get(0), current, scope, name);
            }
            report(tuple.span(), "a tuple of tensors must flow into an op that takes several, such as concat",
                    "e.g. (a, b) -> concat(axis = 0)");
            return POISON;
        }
    }

    private Value add(TensorExpression.Add add, Value current, Scope scope, String name) {
        Value left = evaluate(add.left(), current, scope, null);
        Value right = evaluate(add.right(), current, scope, null);
        if (left == POISON || right == POISON) {
            return POISON;
        }
        try {
            return graph.addOne(Add.KIND, List.of(left, right), Map.of(), "+", add.span(),
                    name != null ? scope.qualify(name) : scope.nextName("add"));
        } catch (ShapeException e) {
            report(add.span(), "'+' needs two tensors of the same shape, but '" + displayName(left) + "' is "
                    + left.type() + " and '" + displayName(right) + "' is " + right.type() + " ("
                    + Shapes.difference(left.type(), right.type()) + ")");
            return POISON;
        }
    }

    private Value apply(TensorExpression.Call call, List<Value> inputs, Scope scope, String name) {
        LayerOp op = LayerOps.find(call.name()).orElse(null);
        if (op == null) {
            Declaration.Block block = declarations.block(call.name());
            if (block != null) {
                return inline(block, call, inputs, scope, name);
            }
            reportUnknownOp(call, scope);
            return POISON;
        }
        if (op.inputCount() == 1 && inputs.size() != 1) {
            report(call.nameSpan(), "'" + call.name() + "' takes one tensor, but a tuple of " + inputs.size()
                    + " flows into it");
            return POISON;
        }
        if (op.inputCount() == LayerOp.ANY && inputs.size() < 2) {
            report(call.nameSpan(), "'" + call.name() + "' joins two or more tensors; write (a, b) -> "
                    + call.name() + "(...)");
            return POISON;
        }
        Map<String, Object> attributes = AttributeBinder.bind(call.name(), op.signature(), call.arguments(),
                scope.constants(), call.span(), diagnostics);
        if (attributes == null) {
            return POISON;
        }
        String valueName = name != null ? scope.qualify(name) : scope.nextName(op.name());
        try {
            return op.apply(graph, inputs, attributes, valueName, Describe.call(call), call.nameSpan());
        } catch (ShapeException e) {
            report(call.nameSpan(), e.getMessage());
            return POISON;
        }
    }

    /** Checks the block's body as if written at the call, in a scope of its own with its parameters bound. */
    private Value inline(Declaration.Block block, TensorExpression.Call call, List<Value> inputs, Scope caller,
                         String name) {
        for (CallSite site : callChain) {
            if (site.block().equals(block.name())) {
                List<String> cycle = new ArrayList<>();
                Iterator<CallSite> outward = callChain.descendingIterator();
                outward.forEachRemaining(s -> cycle.add(s.block()));
                cycle.add(block.name());
                report(call.nameSpan(), "block '" + block.name() + "' calls itself: " + String.join(" -> ", cycle),
                        "a block is copied into the graph at every call, so a block that calls itself never ends");
                return POISON;
            }
        }
        if (inputs.size() != 1) {
            report(call.nameSpan(), "block '" + block.name() + "' takes one tensor, but a tuple of "
                    + inputs.size() + " flows into it");
            return POISON;
        }
        if (callChain.size() >= 64) {
            report(call.nameSpan(), "blocks nest more than 64 deep here");
            return POISON;
        }
        Map<String, Object> arguments = ParameterBinder.bind("block " + block.name(), block.parameters(),
                call.arguments(), caller.constants(), call.span(), diagnostics);
        if (arguments == null) {
            return POISON;
        }
        String instance = name != null ? caller.qualify(name)
                : caller.qualify(block.name() + blockCounts.merge(caller.qualify(block.name()), 1, Integer::sum));
        callChain.push(new CallSite(block.name(), call.nameSpan()));
        try {
            return body(block.body(), Scope.root(instance + ".", arguments), inputs.get(0), false);
        } finally {
            callChain.pop();
        }
    }

    private void reportUnknownOp(TensorExpression.Call call, Scope scope) {
        String name = call.name();
        Set<String> known = new TreeSet<>(LayerOps.names());
        known.addAll(declarations.blockNames());
        boolean bare = !call.hasParentheses();
        if (bare) {
            known.addAll(scope.valueNames());
        }
        report(call.nameSpan(), (bare ? "unknown op or value '" : "unknown op '") + name + "'",
                Suggestions.didYouMean(name, known));
    }

    /** The name a user wrote for a value, without the block-call prefix the graph adds. */
    private static String displayName(Value value) {
        String name = value.name();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private void report(Span span, String message, String... notes) {
        diagnostics.error(span, message, withChain(notes));
    }

    /** The notes, then one "in block … called at …" line per enclosing block call, innermost first. */
    private String[] withChain(String... notes) {
        List<String> all = new ArrayList<>(List.of(notes));
        for (CallSite site : callChain) {
            all.add("in block " + site.block() + " called at " + site.span());
        }
        return all.toArray(new String[0]);
    }
}
