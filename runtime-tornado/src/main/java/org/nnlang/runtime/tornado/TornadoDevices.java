package org.nnlang.runtime.tornado;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nnlang.runtime.NnException;
import uk.ac.manchester.tornado.api.TornadoRuntime;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

/**
 * What TornadoVM sees, and which device a {@code device = …} word takes:
 * <ul>
 *   <li>{@code gpu}: the first GPU; with none, TornadoVM's default device (on a laptop with PoCL, its OpenCL CPU
 *       device: the way to try the GPU code path without a GPU). The device line of every report then says
 *       "OpenCL CPU", so nobody mistakes it for a GPU.</li>
 *   <li>{@code fpga}: the first FPGA or accelerator; with none, an error (an FPGA run on anything else would
 *       teach nothing about FPGAs).</li>
 *   <li>{@code auto}: a GPU, else an FPGA or accelerator, else TornadoVM's default device.</li>
 * </ul>
 * The system property {@code nn.tornado.device=B:D} (TornadoVM's backend and device indices, as {@code nn devices}
 * lists them) overrides the choice.
 */
final class TornadoDevices {
    static final String DEVICE_PROPERTY = "nn.tornado.device";

    private TornadoDevices() {
    }

    /** A device with its TornadoVM indices. */
    record Found(int backendIndex, int deviceIndex, TornadoDevice device, String backendName) {
        TornadoDeviceType type() {
            return device.getDeviceType();
        }

        /** {@code OpenCL GPU: NVIDIA H100 (TornadoVM 0:0)}: what reports print as the device that ran. */
        String describe() {
            return backendName + " " + type() + ": " + device.getPhysicalDevice().getDeviceName().trim()
                    + " (TornadoVM " + backendIndex + ":" + deviceIndex + ")";
        }
    }

    static List<Found> all() {
        TornadoRuntime runtime = TornadoRuntimeProvider.getTornadoRuntime();
        List<Found> found = new ArrayList<>();
        for (int b = 0; b < runtime.getNumBackends(); b++) {
            // TornadoVM's own TornadoBackend (one per driver: OpenCL, PTX, SPIR-V), not nnlang's.
            uk.ac.manchester.tornado.api.TornadoBackend backend = runtime.getBackend(b);
            for (int d = 0; d < backend.getNumDevices(); d++) {
                found.add(new Found(b, d, backend.getDevice(d), backend.getName()));
            }
        }
        return found;
    }

    static List<String> describeAll() {
        List<String> lines = new ArrayList<>();
        for (Found f : all()) {
            lines.add(f.describe() + ", " + f.device().getMaxGlobalMemory() / (1024 * 1024) + " MiB, platform "
                    + f.device().getPlatformName().trim());
        }
        return lines;
    }

    static Optional<String> whyNot(String word) {
        try {
            choose(word);
            return Optional.empty();
        } catch (NnException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The device {@code word} takes; see the class comment. */
    static Found choose(String word) {
        List<Found> devices = all();
        String forced = System.getProperty(DEVICE_PROPERTY);
        if (forced != null) {
            for (Found f : devices) {
                if (forced.equals(f.backendIndex() + ":" + f.deviceIndex())) {
                    return f;
                }
            }
            throw new NnException("-D" + DEVICE_PROPERTY + "=" + forced + " names no device TornadoVM sees; "
                    + "'nn devices' lists them");
        }
        if (devices.isEmpty()) {
            throw new NnException("TornadoVM is installed but sees no device: install an OpenCL driver for your "
                    + "GPU (or PoCL for the CPU), then check with 'nn devices'");
        }
        Optional<Found> gpu = first(devices, TornadoDeviceType.GPU);
        Optional<Found> fpga = first(devices, TornadoDeviceType.FPGA).or(() -> first(devices,
                TornadoDeviceType.ACCELERATOR));
        return switch (word) {
            case "gpu" -> gpu.orElseGet(() -> defaultDevice(devices));
            case "fpga" -> fpga.orElseThrow(() -> new NnException("device = fpga: TornadoVM sees no FPGA here, only "
                    + devices.stream().map(Found::describe).toList() + "; see docs/gpu.md for FPGA set-up"));
            default -> gpu.or(() -> fpga).orElseGet(() -> defaultDevice(devices));
        };
    }

    private static Optional<Found> first(List<Found> devices, TornadoDeviceType type) {
        return devices.stream().filter(f -> f.type() == type).findFirst();
    }

    private static Found defaultDevice(List<Found> devices) {
        TornadoDevice preferred = TornadoRuntimeProvider.getTornadoRuntime().getDefaultDevice();
        return devices.stream().filter(f -> f.device() == preferred).findFirst().orElse(devices.get(0));
    }
}
