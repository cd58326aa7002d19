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
    public static final Set<String> PLANNED = Set.of("conv2d", "depthwise_conv2d", "max_pool2d", "avg_pool2d",
            "global_avg_pool", "batchnorm", "dropout", "sigmoid", "tanh", "gelu", "softmax", "concat");

    static {
        register(new Linear());
        register(new Relu());
        register(new Flatten());
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
