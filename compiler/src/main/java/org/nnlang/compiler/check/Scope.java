package org.nnlang.compiler.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.source.Span;

/**
 * The names visible while checking one body: the constants (parameters, and symbolic dimensions bound at a block's
 * call) and the named values. A model and each block call get their own scope; each round of a {@code repeat} gets a
 * child scope, so names defined inside a round stay inside it but names from outside are visible.
 *
 * <p>It also remembers which named values were read, for the "never used" warning.
 */
final class Scope {
    private final Scope parent;
    private final String prefix;
    private final Map<String, Object> constants;
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final Map<String, Span> definedAt = new HashMap<>();
    private final Set<String> used = new HashSet<>();
    private final Map<String, Integer> opCounts;

    private Scope(Scope parent, String prefix, Map<String, Object> constants, Map<String, Integer> opCounts) {
        this.parent = parent;
        this.prefix = prefix;
        this.constants = constants;
        this.opCounts = opCounts;
    }

    /** The scope of a model, or of one call of a block whose values are named {@code prefix + name}. */
    static Scope root(String prefix, Map<String, Object> constants) {
        return new Scope(null, prefix, new LinkedHashMap<>(constants), new HashMap<>());
    }

    /** A child for one round of {@code repeat}: sees this scope's names, defines its own. */
    Scope child() {
        return new Scope(this, prefix, constants, opCounts);
    }

    Map<String, Object> constants() {
        return constants;
    }

    void bindConstant(String name, Object value) {
        constants.put(name, value);
    }

    /** The graph name for a value or op called {@code name} here: {@code residual1.y}. */
    String qualify(String name) {
        return prefix + name;
    }

    /** A fresh name for an unnamed op of kind {@code op}: {@code linear1}, {@code linear2}, … per block call. */
    String nextName(String op) {
        return prefix + op + opCounts.merge(op, 1, Integer::sum);
    }

    Value lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Value value = s.values.get(name);
            if (value != null) {
                s.used.add(name);
                return value;
            }
        }
        return null;
    }

    boolean hasValue(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.values.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    /** Where {@code name} was defined, if it is already defined here or in an enclosing round. */
    Span definedAt(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.definedAt.containsKey(name)) {
                return s.definedAt.get(name);
            }
        }
        return null;
    }

    void define(String name, Value value, Span span) {
        values.put(name, value);
        definedAt.put(name, span);
    }

    /** Every value name visible here, for "did you mean". */
    Set<String> valueNames() {
        Set<String> names = new HashSet<>();
        for (Scope s = this; s != null; s = s.parent) {
            names.addAll(s.values.keySet());
        }
        return names;
    }

    /** Names defined in this scope (not its parents) that nothing read, other than {@code result}. */
    List<Map.Entry<String, Span>> unused(Value result) {
        List<Map.Entry<String, Span>> unused = new ArrayList<>();
        for (Map.Entry<String, Value> entry : values.entrySet()) {
            if (!used.contains(entry.getKey()) && entry.getValue() != result) {
                unused.add(Map.entry(entry.getKey(), definedAt.get(entry.getKey())));
            }
        }
        return unused;
    }
}
