package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.exec.RangeTask;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.kernels.Activations;
import org.nnlang.runtime.kernels.Concat;
import org.nnlang.runtime.kernels.Elementwise;
import org.nnlang.runtime.plan.StepSpec;

/** CPU steps of element-wise kernels, split over the cores by element ranges, and of softmax, concat and slice. */
final class ElementwiseSteps {
    /** Element-wise work is memory-bound and cheap: only large arrays are worth splitting. */
    private static final int MIN_ELEMENTS_PER_PART = 16_384;

    private ElementwiseSteps() {
    }

    /** The element-wise activations, by kernel name. */
    enum Function {
        RELU, SIGMOID, TANH, GELU;

        static Function of(String kernel) {
            return valueOf(kernel.replace("_grad", "").toUpperCase(java.util.Locale.ROOT));
        }

        /** True when {@code kernel} is one of these activations (not a gradient). */
        static boolean names(String kernel) {
            for (Function f : values()) {
                if (f.name().toLowerCase(java.util.Locale.ROOT).equals(kernel)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The shared shape of these steps: how many elements, how to split. */
    abstract static class Step implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final int sampleSize;
        private final boolean batched;

        Step(StepSpec step, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            this.sampleSize = buffers.sampleSize(step.output(0));
            this.batched = buffers.isBatched(step.output(0));
        }

        @Override
        public final void run(int batch) {
            pool.run(this, batched ? batch * sampleSize : sampleSize, MIN_ELEMENTS_PER_PART);
        }
    }

    /** {@code relu}, {@code sigmoid}, {@code tanh}, {@code gelu}: {@code y = f(x)}. */
    static final class Activation extends Step {
        private final Epilogue f;

        Activation(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(step, buffers, pool);
            f = new Epilogue(step, buffers);
        }

        @Override
        public void run(int from, int to) {
            f.apply(from, to);
        }
    }

    /**
     * An activation step's work, {@code y[i] = f(x[i])} over a range of its elements: run by {@link Activation}, or
     * fused into the {@code linear} or {@code conv2d} step that computes {@code x} ({@link #fusedAfter}), which then
     * applies it to each part of its output as soon as that part is done, while it is still in the core's cache. The
     * activation's own step then does nothing ({@link #FUSED}). The values are the same either way.
     */
    static final class Epilogue {
        private final Function function;
        private final float[] x;
        private final float[] y;

        Epilogue(StepSpec step, Buffers buffers) {
            function = Function.of(step.kernel());
            x = buffers.array(step.input(0));
            y = buffers.array(step.output(0));
        }

        void apply(int from, int to) {
            switch (function) {
                case RELU -> Activations.reluForward(x, y, from, to);
                case SIGMOID -> Activations.sigmoidForward(x, y, from, to);
                case TANH -> Activations.tanhForward(x, y, from, to);
                case GELU -> Activations.geluForward(x, y, from, to);
            }
        }

        /**
         * The epilogue {@code next} can become for {@code producer}, or null: {@code next} must be an activation of
         * {@code producer}'s output, {@code producer} a {@code linear} or {@code conv2d}, and the activation's output
         * must not share storage with the producer's inputs (the buffer planner may give it an input's storage once
         * the input is dead, which is safe only after the producer has finished every part).
         */
        static Epilogue fusedAfter(StepSpec producer, StepSpec next, Buffers buffers) {
            boolean product = producer.kernel().equals("linear") || producer.kernel().equals("conv2d");
            if (!Function.names(next.kernel()) || !product || next.input(0) != producer.output(0)) {
                return null;
            }
            float[] out = buffers.array(next.output(0));
            for (int input : producer.inputs()) {
                if (buffers.array(input) == out) {
                    return null;
                }
            }
            return new Epilogue(next, buffers);
        }
    }

    /** The step of an activation fused into the step before it: nothing left to do. */
    static final BoundStep FUSED = batch -> { };

    /** {@code NAME_grad(saved, dy) → dx}, where saved is the output (relu, sigmoid, tanh) or the input (gelu). */
    static final class ActivationGrad extends Step {
        private final Function function;
        private final float[] saved;
        private final float[] dy;
        private final float[] dx;

        ActivationGrad(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(step, buffers, pool);
            function = Function.of(step.kernel());
            saved = buffers.array(step.input(0));
            dy = buffers.array(step.input(1));
            dx = buffers.array(step.output(0));
        }

        @Override
        public void run(int from, int to) {
            switch (function) {
                case RELU -> Activations.reluBackward(saved, dy, dx, from, to);
                case SIGMOID -> Activations.sigmoidBackward(saved, dy, dx, from, to);
                case TANH -> Activations.tanhBackward(saved, dy, dx, from, to);
                case GELU -> Activations.geluBackward(saved, dy, dx, from, to);
            }
        }
    }

    static final class Add extends Step {
        private final float[] a;
        private final float[] b;
        private final float[] y;

        Add(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(step, buffers, pool);
            a = buffers.array(step.input(0));
            b = buffers.array(step.input(1));
            y = buffers.array(step.output(0));
        }

        @Override
        public void run(int from, int to) {
            Elementwise.add(a, b, y, from, to);
        }
    }

    /** Softmax over the last dimension: rows are every position of every sample. */
    static final class Softmax implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final boolean backward;
        private final float[] first;
        private final float[] second;
        private final float[] out;
        private final int cols;
        private final int rowsPerSample;

        Softmax(StepSpec step, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            backward = step.kernel().endsWith("_grad");
            first = buffers.array(step.input(0));
            second = backward ? buffers.array(step.input(1)) : null;
            out = buffers.array(step.output(0));
            int[] dims = buffers.dims(step.output(0));
            cols = dims[dims.length - 1];
            rowsPerSample = buffers.sampleSize(step.output(0)) / cols;
        }

        @Override
        public void run(int batch) {
            pool.run(this, batch * rowsPerSample, Math.max(1, MIN_ELEMENTS_PER_PART / cols));
        }

        @Override
        public void run(int from, int to) {
            if (backward) {
                Activations.softmaxBackward(first, second, out, cols, from, to);
            } else {
                Activations.softmaxForward(first, out, cols, from, to);
            }
        }
    }

    /**
     * {@code concat(a, b, …)} along a per-sample axis, and {@code slice} (its gradient): a tensor is seen as rows of
     * {@code inner} floats, where a row is everything before the axis and {@code inner} the axis and what follows.
     */
    static final class ConcatStep extends SampleStep {
        private final float[][] parts;
        private final int[] partInner;
        private final int[] offsets;
        private final float[] y;
        private final int totalInner;
        private final int rowsPerSample;

        ConcatStep(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(pool);
            int axis = step.intAttribute("axis");
            int[] outDims = buffers.dims(step.output(0));
            y = buffers.array(step.output(0));
            rowsPerSample = rows(outDims, axis);
            totalInner = buffers.sampleSize(step.output(0)) / rowsPerSample;
            parts = new float[step.inputs().length][];
            partInner = new int[parts.length];
            offsets = new int[parts.length];
            int offset = 0;
            for (int i = 0; i < parts.length; i++) {
                parts[i] = buffers.array(step.input(i));
                partInner[i] = buffers.sampleSize(step.input(i)) / rowsPerSample;
                offsets[i] = offset;
                offset += partInner[i];
            }
        }

        @Override
        public void run(int from, int to) {
            for (int i = 0; i < parts.length; i++) {
                Concat.copyIn(parts[i], y, partInner[i], totalInner, offsets[i], from * rowsPerSample,
                        to * rowsPerSample);
            }
        }
    }

    static final class SliceStep extends SampleStep {
        private final float[] dy;
        private final float[] part;
        private final int partInner;
        private final int totalInner;
        private final int offsetInner;
        private final int rowsPerSample;

        SliceStep(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(pool);
            int axis = step.intAttribute("axis");
            // The geometry comes from the part, which has the concatenated input's shape: dy may be a flattened view
            // (concat feeding flatten) whose dims no longer show the axis.
            int[] partDims = buffers.dims(step.output(0));
            dy = buffers.array(step.input(0));
            part = buffers.array(step.output(0));
            rowsPerSample = rows(partDims, axis);
            totalInner = buffers.sampleSize(step.input(0)) / rowsPerSample;
            partInner = buffers.sampleSize(step.output(0)) / rowsPerSample;
            offsetInner = step.intAttribute("offset") * (partInner / partDims[axis]);
        }

        @Override
        public void run(int from, int to) {
            Concat.copyOut(dy, part, partInner, totalInner, offsetInner, from * rowsPerSample, to * rowsPerSample);
        }
    }

    /** Rows per sample when a tensor is cut just before {@code axis}: the product of the dimensions before it. */
    private static int rows(int[] dims, int axis) {
        int rows = 1;
        for (int i = 0; i < axis; i++) {
            rows *= dims[i];
        }
        return rows;
    }
}
