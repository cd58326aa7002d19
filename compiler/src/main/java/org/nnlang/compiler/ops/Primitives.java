package org.nnlang.compiler.ops;

import java.util.LinkedHashMap;
import java.util.List;
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
        for (Activation activation : List.of(new Relu(), new Sigmoid(), new Tanh(), new Gelu())) {
            register(activation);
            register(new Activation.Grad(activation));
        }
        register(new Softmax());
        register(new Softmax.Grad());
        register(new Reshape());
        register(new Add());
        register(new Concat());
        register(new Slice());
        register(new Conv2d());
        register(new Conv2d.GradInput());
        register(new Conv2d.GradWeight());
        register(new Conv2d.GradBias());
        for (Pool2d pool : List.of(Pool2d.max(), Pool2d.average())) {
            register(pool);
            register(new Pool2d.Grad(pool));
        }
        register(new GlobalAvgPool());
        register(new GlobalAvgPool.Grad());
        register(new BatchNorm());
        register(new BatchNorm.Grad());
        register(new BatchNorm.Eval());
        register(new Dropout());
        register(new Dropout.Grad());
        register(new SoftmaxCrossEntropy());
        register(new SoftmaxCrossEntropy.Grad());
        register(new Mse());
        register(new Mse.Grad());
        register(new OneHot());
        register(new ClipGradNorm());
        register(new ClipGradNorm.Scale());
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
