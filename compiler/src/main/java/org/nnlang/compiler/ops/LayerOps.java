package org.nnlang.compiler.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ops users can write in a model, by name. The language reserves more names than are implemented so far
 * ({@link #PLANNED}); using one of those is a clear "not implemented yet" error rather than "unknown op".
 */
public final class LayerOps {
    private static final Map<String, LayerOp> BY_NAME = new LinkedHashMap<>();

    /** Ops of the language core that this version cannot compile yet. */
    public static final Set<String> PLANNED = Set.of();

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
