package org.nnlang.compiler.check;

import org.nnlang.compiler.ir.TensorType;

/** Words for shape mismatches: which dimension differs, counted as users see shapes (N is dimension 0). */
final class Shapes {
    private Shapes() {
    }

    /** {@code "dimension 1 differs: 8 vs 6"}, or {@code "ranks differ: 2 vs 4"}. */
    static String difference(TensorType a, TensorType b) {
        if (a.rank() != b.rank() || a.isBatched() != b.isBatched()) {
            return "ranks differ: " + (a.rank() + (a.isBatched() ? 1 : 0)) + " vs "
                    + (b.rank() + (b.isBatched() ? 1 : 0));
        }
        for (int i = 0; i < a.rank(); i++) {
            if (a.dim(i) != b.dim(i)) {
                return "dimension " + (i + (a.isBatched() ? 1 : 0)) + " differs: " + a.dim(i) + " vs " + b.dim(i);
            }
        }
        return "same shape";
    }
}
