package org.nnlang.compiler.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every primitive node kind, by name. Adding a primitive: write its class in this package (shape rule, gradient
 * rule, math in the Javadoc), list it here, and bind a kernel of the same name in the runtime's
 * {@code CpuKernels}.
 */
public final class Primitives {
    private static final Map<String, Primitive> BY_KIND = new LinkedHashMap<>();

    static {
        register(new Linear());
        register(new Linear.GradInput());
        register(new Linear.GradWeight());
        register(new Linear.GradBias());
        register(new Relu());
        register(new Relu.Grad());
        register(new Reshape());
        register(new Add());
        register(new SoftmaxCrossEntropy());
        register(new SoftmaxCrossEntropy.Grad());
        register(new Mse());
        register(new Mse.Grad());
        register(new OneHot());
        register(new AdamUpdate());
        register(new SgdUpdate());
    }

    private Primitives() {
    }

    private static void register(Primitive primitive) {
        BY_KIND.put(primitive.kind(), primitive);
    }

    public static Primitive get(String kind) {
        Primitive primitive = BY_KIND.get(kind);
        if (primitive == null) {
            throw new IllegalArgumentException("no primitive '" + kind + "'");
        }
        return primitive;
    }

    public static Set<String> kinds() {
        return BY_KIND.keySet();
    }
}
