package org.nnlang.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nnlang.runtime.kernels.Gemm;
import org.nnlang.runtime.kernels.Linear;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The seed MLP's big layer, {@code Linear(784 → 128)}, at batch 32 and 512, on one thread: each of the three
 * products by the reference {@link Linear} kernels (what the CPU backend ran before {@link Gemm}) and by
 * {@link Gemm}, including the packing each needs per call. Multiply-adds per call: {@code batch · 784 · 128}
 * (3.2 M at batch 32, 51.4 M at batch 512), so {@code GFLOP/s = 2 · MACs / (µs per op) / 1000}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// With the Vector API module, as the nn launcher runs; add -jvmArgsAppend -Dnnlang.kernels=loops for the fallback.
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LinearKernelsBenchmark {
    private static final int IN = 784;
    private static final int OUT = 128;

    @Param({"32", "512"})
    int batch;

    float[] x;
    float[] w;
    float[] wT;
    float[] b;
    float[] y;
    float[] dy;
    float[] dx;
    float[] dw;
    Gemm.PackedB packed;
    float[][] tile;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        x = random(random, batch * IN);
        w = random(random, OUT * IN);
        wT = new float[IN * OUT];
        b = random(random, OUT);
        y = new float[batch * OUT];
        dy = random(random, batch * OUT);
        dx = new float[batch * IN];
        dw = new float[OUT * IN];
        packed = Gemm.newPackedB(Math.max(IN, batch), Math.max(IN, OUT));
        tile = Gemm.newTile();
    }

    static float[] random(Random random, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    /** {@code y = x·Wᵀ + b} as the old step did it: transpose W, then saxpy rows. */
    @Benchmark
    public float[] forwardReference() {
        Linear.transposeWeight(w, wT, IN, OUT);
        Linear.forwardTransposed(x, wT, b, y, IN, OUT, 0, batch);
        return y;
    }

    @Benchmark
    public float[] forwardGemm() {
        Gemm.nt(batch, OUT, IN, x, 0, IN, w, 0, IN, y, 0, OUT, b, false, 0, batch, packed, tile);
        return y;
    }

    /** {@code dx = dy·W}. */
    @Benchmark
    public float[] gradInputReference() {
        Linear.backwardInput(dy, w, dx, IN, OUT, 0, batch);
        return dx;
    }

    @Benchmark
    public float[] gradInputGemm() {
        Gemm.nn(batch, IN, OUT, dy, 0, OUT, w, 0, IN, dx, 0, IN, null, false, 0, batch, packed, tile);
        return dx;
    }

    /** {@code dW = dyᵀ·x}. */
    @Benchmark
    public float[] gradWeightReference() {
        Linear.backwardWeight(dy, x, dw, batch, IN, OUT, 0, OUT);
        return dw;
    }

    @Benchmark
    public float[] gradWeightGemm() {
        Gemm.tn(OUT, IN, batch, dy, 0, OUT, x, 0, IN, dw, 0, IN, null, false, 0, OUT, packed, tile);
        return dw;
    }
}
