package org.nnlang.runtime.tornado;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The plan's buffers on both sides: a TornadoVM {@link FloatArray} (off-heap memory that TornadoVM mirrors on the
 * device) and a Java {@code float[]}, the host memory {@link org.nnlang.runtime.backend.Executable#buffer} hands out.
 * The two are copied only where the executable says so: inputs, targets and hyperparameters before a step, the loss
 * after it, and parameters and state on {@code syncToHost}/{@code syncToDevice}.
 *
 * <p>It also holds the one-element {@link #batch} array: kernels are compiled for the plan's batch capacity, and read
 * how many samples the current step really has from it (the last batch of an epoch is usually smaller).
 */
final class DeviceArrays {
    private final ExecutionPlan plan;
    private final FloatArray[] device;
    private final float[][] host;
    final IntArray batch = new IntArray(1);

    DeviceArrays(ExecutionPlan plan, int capacity) {
        this.plan = plan;
        device = new FloatArray[plan.buffers().size()];
        host = new float[device.length][];
        for (BufferSpec spec : plan.buffers()) {
            host[spec.id()] = new float[spec.capacity(capacity)];
            device[spec.id()] = new FloatArray(spec.capacity(capacity));
        }
    }

    FloatArray device(int id) {
        return device[id];
    }

    float[] host(int id) {
        return host[id];
    }

    BufferSpec spec(int id) {
        return plan.buffer(id);
    }

    /** Floats per sample of a batched buffer, or in all of an unbatched one. */
    int sampleSize(int id) {
        return plan.buffer(id).sampleSize();
    }

    /** Floats the buffer holds at the plan's batch capacity. */
    int capacity(int id) {
        return host[id].length;
    }

    /** Host → TornadoVM memory, the first {@code count} floats (TornadoVM then sends them to the device). */
    void toDevice(int id, int count) {
        MemorySegment.copy(host[id], 0, device[id].getSegment(), ValueLayout.JAVA_FLOAT, 0, count);
    }

    /** TornadoVM memory → host, the first {@code count} floats (after TornadoVM brought them back). */
    void toHost(int id, int count) {
        MemorySegment.copy(device[id].getSegment(), ValueLayout.JAVA_FLOAT, 0, host[id], 0, count);
    }
}
