package org.nnlang.runtime.tornado;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/**
 * Weights written on the host after loading ({@code nn train --init}, {@code nn eval}: a checkpoint) reach the device
 * through {@code syncToDevice}: the CPU trains a few steps, its parameters and state are copied into the TornadoVM
 * executable, which must then evaluate and train on exactly as the CPU does — with the schedule in one task graph and
 * cut into many.
 */
@Tag("tornado")
class CheckpointOnDeviceTest {
    @AfterEach
    void restore() {
        System.clearProperty("nn.tornado.tasksPerGraph");
    }

    @ParameterizedTest
    @ValueSource(strings = {"32", "2"})
    void hostWeightsReachTheDevice(String tasksPerGraph) {
        System.setProperty("nn.tornado.tasksPerGraph", tasksPerGraph);
        ExecutionPlan plan = BackendComparison.compile("""
                model M {
                    input x: [2, 5, 5]
                    conv2d(3, kernel = 3, padding = 1, bias = false) -> batchnorm -> relu
                    flatten -> linear(4)
                }
                train M {
                    data = fashion_mnist
                    loss = cross_entropy
                    optimizer = adam(lr = 0.01)
                    batch = 4
                }
                """);
        try (Executable cpu = new CpuBackend(1).load(plan, 4, new Rng(3));
             Executable device = new TornadoBackend().selecting("gpu").load(plan, 4, new Rng(99))) {
            Rng data = new Rng(5);
            for (int step = 0; step < 3; step++) {
                fill(plan, cpu, data);
                cpu.trainStep(4);
            }
            for (BufferSpec spec : plan.buffers()) {
                if (spec.role() == BufferRole.PARAMETER || spec.role() == BufferRole.OPTIMIZER_STATE
                        || spec.role() == BufferRole.MODEL_STATE) {
                    System.arraycopy(cpu.buffer(spec.id()), 0, device.buffer(spec.id()), 0, spec.sampleSize());
                }
            }
            device.syncToDevice();
            fill(plan, cpu, data);
            copyBatch(plan, cpu, device);
            cpu.infer(4);
            device.infer(4);
            int outputs = 4 * plan.buffer(plan.output()).sampleSize();
            BackendComparison.assertClose("output after syncToDevice", cpu.buffer(plan.output()),
                    device.buffer(plan.output()), outputs);
            float cpuLoss = cpu.trainStep(4);
            float deviceLoss = device.trainStep(4);
            BackendComparison.assertClose("loss after syncToDevice", new float[] {cpuLoss},
                    new float[] {deviceLoss}, 1);
        }
    }

    private static void fill(ExecutionPlan plan, Executable cpu, Rng data) {
        float[] x = cpu.buffer(plan.input());
        for (int i = 0; i < x.length; i++) {
            x[i] = data.uniform(-1f, 1f);
        }
        float[] labels = cpu.buffer(plan.target());
        for (int i = 0; i < 4; i++) {
            labels[i] = i % 4;
        }
    }

    private static void copyBatch(ExecutionPlan plan, Executable from, Executable to) {
        System.arraycopy(from.buffer(plan.input()), 0, to.buffer(plan.input()), 0, from.buffer(plan.input()).length);
        System.arraycopy(from.buffer(plan.target()), 0, to.buffer(plan.target()), 0, 4);
    }
}
