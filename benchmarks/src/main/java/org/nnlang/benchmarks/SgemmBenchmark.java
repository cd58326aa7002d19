package org.nnlang.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nnlang.runtime.exec.RangeTask;
import org.nnlang.runtime.exec.WorkerPool;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code C = A·B} for 2048 × 2048 matrices, the figure BLAS libraries are compared by: 2 · 2048³ = 17.18 GFLOP per
 * call, so {@code GFLOP/s = 17180 / (ms per op)}. {@link #gemm} packs B once (split over the threads), then splits
 * C's rows over the threads, as the CPU backend does; {@link #reference} is {@link Linear}'s saxpy kernel on one
 * thread (seconds per call: run it alone with {@code -p threads=1}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// With the Vector API module, as the nn launcher runs; add -jvmArgsAppend -Dnnlang.kernels=loops for the fallback.
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgemmBenchmark {
    private static final int N = 2048;

    @Param({"1", "2"})
    int threads;

    float[] a;
    float[] b;
    float[] c;
    WorkerPool pool;
    Gemm.PackedB packed;
    float[][][] tiles;
    RangeTask pack;
    RangeTask multiply;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        a = LinearKernelsBenchmark.random(random, N * N);
        b = LinearKernelsBenchmark.random(random, N * N);
        c = new float[N * N];
        pool = new WorkerPool(threads);
        packed = Gemm.newPackedB(N, N);
        tiles = new float[threads][][];
        for (int t = 0; t < threads; t++) {
            tiles[t] = Gemm.newTile();
        }
        pack = (from, to) -> Gemm.pack(b, 0, N, false, N, N, packed, from, to);
        multiply = (from, to) -> {
            for (int part = from; part < to; part++) {
                int rowFrom = N * part / threads;
                int rowTo = N * (part + 1) / threads;
                Gemm.multiply(a, 0, N, false, packed, N, N, c, 0, N, null, false, rowFrom, rowTo, 0, N, tiles[part]);
            }
        };
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] gemm() {
        pool.run(pack, N, 1);
        pool.run(multiply, threads, 1);
        return c;
    }

    @Benchmark
    public float[] reference() {
        Linear.backwardInput(a, b, c, N, N, 0, N);
        return c;
    }
}
