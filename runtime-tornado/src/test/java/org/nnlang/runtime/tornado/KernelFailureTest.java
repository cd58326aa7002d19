package org.nnlang.runtime.tornado;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.plan.StepSpec;

/**
 * What a user reads when TornadoVM cannot compile a kernel: the nnlang kernel, the task and the {@code .nn} line, not
 * TornadoVM's internals. (Plain JUnit: it needs no device.)
 */
class KernelFailureTest {
    private static final StepSpec CONV = new StepSpec("conv2d", new int[] {0, 1}, new int[] {2}, Map.of(),
            "model.nn:4:5 conv2d(16, kernel = 3)");
    private static final StepSpec RELU = new StepSpec("relu", new int[] {2}, new int[] {3}, Map.of(),
            "model.nn:5:5 relu");

    private static Map<String, StepSpec> tasks() {
        Map<String, StepSpec> tasks = new LinkedHashMap<>();
        tasks.put("train.s1_conv2d", CONV);
        tasks.put("train.s12_relu", RELU);
        return tasks;
    }

    @Test
    void namesTheStepAndItsLine() {
        RuntimeException tornado = new RuntimeException("Bailout is disabled. \nReason: Unable to compile task "
                + "train.s12_relu - activation", new IllegalStateException("\u001b[31mCL_BUILD_PROGRAM_FAILURE\u001b[0m"));
        NnException error = KernelFailure.explain(tornado, tasks(), "OpenCL GPU: Test");
        assertThat(error.getMessage())
                .startsWith("TornadoVM could not run kernel 'relu' (task train.s12_relu, from model.nn:5:5 relu) on "
                        + "OpenCL GPU: Test: IllegalStateException: CL_BUILD_PROGRAM_FAILURE")
                .doesNotContain("\u001b");
        assertThat(error.getCause()).isSameAs(tornado);
    }

    @Test
    void withoutATaskNameItStillSaysWhereItRan() {
        NnException error = KernelFailure.explain(new RuntimeException("Recover option disabled"), tasks(), "d");
        assertThat(error.getMessage()).isEqualTo("TornadoVM failed on d: RuntimeException: Recover option disabled");
    }
}
