package org.nnlang.runtime.tornado;

import uk.ac.manchester.tornado.api.math.TornadoMath;

/**
 * The element-wise activations as device code. Kernels take the activation as an int (device code has no enums or
 * strings); the formulas are those of the CPU's {@code kernels.Activations}, evaluated in float.
 */
final class Activation {
    static final int RELU = 0;
    static final int SIGMOID = 1;
    static final int TANH = 2;
    static final int GELU = 3;

    private Activation() {
    }

    static int code(String kernel) {
        return switch (kernel) {
            case "relu" -> RELU;
            case "sigmoid" -> SIGMOID;
            case "tanh" -> TANH;
            case "gelu" -> GELU;
            default -> throw new IllegalArgumentException("not an activation: " + kernel);
        };
    }

    static float forward(int kind, float x) {
        if (kind == RELU) {
            return x > 0f ? x : 0f;
        } else if (kind == SIGMOID) {
            return 1f / (1f + TornadoMath.exp(-x));
        } else if (kind == TANH) {
            return TornadoMath.tanh(x);
        }
        return x * normalCdf(x);
    }

    /**
     * {@code dx} from {@code dy} and what the backward keeps: the forward's output {@code y} for relu, sigmoid and
     * tanh, its input {@code x} for gelu (as on the CPU).
     */
    static float backward(int kind, float saved, float dy) {
        if (kind == RELU) {
            return saved > 0f ? dy : 0f;
        } else if (kind == SIGMOID) {
            return dy * (1f - saved) * saved;
        } else if (kind == TANH) {
            return dy * (1f - saved * saved);
        }
        float density = TornadoMath.exp(-0.5f * saved * saved) * 0.3989422804014327f;
        return dy * (normalCdf(saved) + saved * density);
    }

    /** {@code Φ(x) = ½ erfc(−x/√2)}, with the same Numerical Recipes erfc fit the CPU uses. */
    static float normalCdf(float x) {
        float z = -x * 0.7071067811865476f;
        float a = TornadoMath.abs(z);
        float t = 1f / (1f + 0.5f * a);
        float r = t * TornadoMath.exp(-a * a - 1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f
                + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f
                + t * (-0.82215223f + t * 0.17087277f)))))))));
        float erfc = z >= 0f ? r : 2f - r;
        return 0.5f * erfc;
    }
}
