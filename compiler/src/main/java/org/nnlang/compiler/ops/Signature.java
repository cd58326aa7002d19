package org.nnlang.compiler.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The attributes an op takes, in positional order: {@code linear(out, bias = true)}. */
public record Signature(List<Attribute> attributes) {
    public Signature {
        attributes = List.copyOf(attributes);
    }

    public static Signature none() {
        return new Signature(List.of());
    }

    public static Signature of(Attribute... attributes) {
        return new Signature(List.of(attributes));
    }

    public Optional<Attribute> find(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    public List<String> names() {
        List<String> names = new ArrayList<>();
        attributes.forEach(a -> names.add(a.name()));
        return names;
    }

    /** How the signature is shown in messages: {@code linear(out, bias = true)}. */
    public String describe(String op) {
        if (attributes.isEmpty()) {
            return op;
        }
        List<String> parts = new ArrayList<>();
        for (Attribute a : attributes) {
            parts.add(a.defaultValue() == null ? a.name() : a.name() + " = " + a.defaultValue());
        }
        return op + "(" + String.join(", ", parts) + ")";
    }

    /** The kinds of value an attribute can take. */
    public enum Type {
        INT("an integer"),
        FLOAT("a number"),
        BOOL("true or false"),
        /** A padding: an integer, or the word {@code same} (output as large as the input, for stride 1). */
        PADDING("an integer or same");

        private final String description;

        Type(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * One attribute.
     *
     * @param defaultValue {@code null} when the attribute is required; a {@link SameAs} copies the value of an earlier
     *                     attribute ({@code stride = kernel})
     * @param min          the smallest allowed value for numbers ({@code null} for none)
     */
    public record Attribute(String name, Type type, Object defaultValue, Number min) {
        public static Attribute required(String name, Type type, Number min) {
            return new Attribute(name, type, null, min);
        }

        public static Attribute optional(String name, Type type, Object defaultValue, Number min) {
            return new Attribute(name, type, defaultValue, min);
        }
    }

    /** A default that is the value of another attribute of the same call. */
    public record SameAs(String attribute) {
        @Override
        public String toString() {
            return attribute;
        }
    }
}
