package org.nnlang.runtime.kernels;

/**
 * Whether {@link Gemm} multiplies with {@link VectorGemm}, decided once per JVM.
 *
 * <p>The Vector API is an incubator module in Java 17 to 25: it is there only when Java starts with
 * {@code --add-modules jdk.incubator.vector} (the {@code nn} launcher, Maven's tests and the benchmarks do). Without
 * it nothing here touches {@link VectorGemm}, so that class, which names the module's types, is never loaded. With
 * it, the kernels are used where Java's vectors of floats are at least 256 bits wide (AVX2, AVX-512), as measured
 * (docs/performance.md); with 128-bit vectors (SSE, ARM's NEON) the loops stay, unmeasured. {@code
 * -Dnnlang.kernels=loops} keeps the auto-vectorized loops anyway, to compare the two.
 */
final class VectorKernels {
    /** The module that holds the Vector API. */
    static final String MODULE = "jdk.incubator.vector";
    /** The narrowest vectors {@link VectorGemm} is used with. */
    static final int MIN_BITS = 256;
    static final boolean AVAILABLE = whyNot() == null;

    private VectorKernels() {
    }

    /** Why the Vector API kernels are not used, or null when they are. */
    static String whyNot() {
        if ("loops".equals(System.getProperty("nnlang.kernels"))) {
            return "-Dnnlang.kernels=loops";
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return "Java started without --add-modules " + MODULE;
        }
        int bits = vectorBits();
        return bits >= MIN_BITS ? null : "the processor's vectors are " + bits + "-bit, the kernels need " + MIN_BITS;
    }

    /** The vector width Java uses for floats; only call with the module present. */
    static int vectorBits() {
        return VectorGemm.vectorBits();
    }
}
