package org.nnlang.compiler.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnlang.compiler.TestSources;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/**
 * The central promise of the plan: once loaded, a training step (and an evaluation pass) allocates nothing, on any
 * thread — for an MLP, and for a CNN using every kind of kernel (convolutions, pooling, batchnorm, dropout, concat,
 * clipping).
 */
class TrainingStepAllocationTest {
    @ParameterizedTest
    @ValueSource(strings = {"""
                model M {
                    input x: [1, 28, 28]
                    flatten
                    linear(128)
                    relu
                    linear(10)
                }
                train M {
                    data = fashion_mnist
                    loss = cross_entropy
                    optimizer = adam(lr = 0.001)
                }
                """, TestSources.MIXED_CNN})
    void trainingStepsAllocateNothing(String source) {
        ExecutionPlan plan = TestSources.compileClean(source).trainingJob(null).orElseThrow().plan();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Executable executable = new CpuBackend(2).load(plan, 64, new Rng(1))) {
            float[] labels = executable.buffer(plan.target());
            for (int i = 0; i < 64; i++) {
                labels[i] = i % 10;
            }
            for (int i = 0; i < 300; i++) { // warm up until the JIT has compiled the kernels
                executable.trainStep(i % 2 == 0 ? 64 : 17);
                executable.infer(i % 2 == 0 ? 64 : 17);
            }
            long[] ids = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t == Thread.currentThread() || t.getName().startsWith("nn-worker"))
                    .mapToLong(Thread::getId).toArray();
            assertThat(ids).hasSizeGreaterThan(1);
            // Measured in rounds until one comes in under the bound: Vector API code (the matrix products) boxes
            // every vector until C2 has compiled it, and when that happens depends on the JIT's queue. A step that
            // allocates in its compiled form does so in every round.
            long allocated = Long.MAX_VALUE;
            for (int round = 0; round < 20 && allocated >= 16 * 200; round++) {
                long before = total(threads, ids);
                for (int i = 0; i < 200; i++) {
                    executable.trainStep(i % 2 == 0 ? 64 : 17);
                    executable.infer(i % 2 == 0 ? 64 : 17);
                }
                allocated = total(threads, ids) - before;
            }
            // Any allocation in a step would cost at least 16 bytes (an object header) 200 times over. The bound leaves
            // room only for the JIT's rare one-off work (re-materialising an object when it deoptimises a method).
            assertThat(allocated).as("bytes allocated by 200 training steps and evaluations").isLessThan(16 * 200);
        }
    }

    /** One thread at a time: the array-returning overload would itself allocate while we measure. */
    private static long total(com.sun.management.ThreadMXBean threads, long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += threads.getThreadAllocatedBytes(id);
        }
        return sum;
    }
}
