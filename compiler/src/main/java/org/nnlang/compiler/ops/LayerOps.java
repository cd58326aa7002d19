package org.nnlang.compiler.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The ops users can write in a model, by name, in the order the language reference lists them. */
public final class LayerOps {
    private static final Map<String, LayerOp> BY_NAME = new LinkedHashMap<>();

    static {
        register(new Linear());
        register(new Conv2d());
        register(new DepthwiseConv2d());
        register(Pool2d.max());
        register(Pool2d.average());
        register(new GlobalAvgPool());
        register(new BatchNorm());
        register(new Dropout());
        register(new Flatten());
        register(new Relu());
        register(new Sigmoid());
        register(new Tanh());
        register(new Gelu());
        register(new Softmax());
        register(new Concat());
    }

    private LayerOps() {
    }

    private static void register(LayerOp op) {
        BY_NAME.put(op.name(), op);
    }

    public static Optional<LayerOp> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static Set<String> names() {
        return BY_NAME.keySet();
    }
}
