package org.nnlang.compiler.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.nnlang.compiler.TestSources;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/** The central promise of the plan: once loaded, a training step allocates nothing, on any thread. */
class TrainingStepAllocationTest {
    @Test
    void trainingStepsAllocateNothing() {
        ExecutionPlan plan = TestSources.compileClean("""
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
                """).trainingJob(null).orElseThrow().plan();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Executable executable = new CpuBackend(2).load(plan, 64, new Rng(1))) {
            float[] labels = executable.buffer(plan.target());
            for (int i = 0; i < 64; i++) {
                labels[i] = i % 10;
            }
            for (int i = 0; i < 2_000; i++) { // warm up until the JIT has compiled the kernels
                executable.trainStep(i % 2 == 0 ? 64 : 17);
            }
            long[] ids = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t == Thread.currentThread() || t.getName().startsWith("nn-worker"))
                    .mapToLong(Thread::getId).toArray();
            assertThat(ids).hasSizeGreaterThan(1);
            long before = total(threads, ids);
            for (int i = 0; i < 200; i++) {
                executable.trainStep(i % 2 == 0 ? 64 : 17);
            }
            long allocated = total(threads, ids) - before;
            assertThat(allocated).as("bytes allocated by 200 training steps").isZero();
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
