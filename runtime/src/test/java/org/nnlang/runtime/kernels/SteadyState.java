package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;

/** The kernels' promise that, once compiled, a call allocates nothing: checked per calling thread. */
final class SteadyState {
    /** Calls before the first measurement: class loading and the first interpretation may allocate. */
    private static final int WARM_UP = 2_000;
    private static final int CALLS_PER_ROUND = 100;
    /**
     * Rounds measured before giving up. Code on the Vector API allocates every vector it makes until C2 has compiled
     * it (the interpreter and C1 box them), and when that happens depends on the JIT's queue and on how often each
     * micro-kernel is entered: on the tests' tiny shapes, {@code FastConv2d.backwardInput} was seen allocating for
     * its first 8,000 calls. A kernel that allocates in its compiled form allocates in every round, so it still fails.
     */
    private static final int ROUNDS = 300;

    private SteadyState() {
    }

    static void assertNoAllocation(String kernel, Runnable call) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean)
                || !bean.isThreadAllocatedMemorySupported()) {
            Assumptions.abort("this JVM cannot count allocated bytes per thread");
            return;
        }
        bean.setThreadAllocatedMemoryEnabled(true);
        for (int k = 0; k < WARM_UP; k++) {
            call.run();
        }
        long allocated = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int k = 0; k < CALLS_PER_ROUND; k++) {
                call.run();
            }
            allocated = bean.getCurrentThreadAllocatedBytes() - before;
            if (allocated == 0) {
                return;
            }
        }
        assertThat(allocated).as("%s allocated %d bytes over %d calls, in each of %d rounds after %d calls to warm up; "
                + "kernels must only use the arrays they are given", kernel, allocated, CALLS_PER_ROUND, ROUNDS,
                WARM_UP).isZero();
    }
}
