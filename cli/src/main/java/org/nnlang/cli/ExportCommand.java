package org.nnlang.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nnlang.compiler.Compilation;
import org.nnlang.export.onnx.ExportableModel;
import org.nnlang.export.onnx.OnnxExporter;
import org.nnlang.export.onnx.proto.Onnx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nn export FILE [--model NAME] [--weights W.safetensors] --onnx OUT.onnx}: writes a model's inference graph
 * and weights as an ONNX model (see {@code docs/onnx.md}).
 */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Export a model's inference graph and weights as an ONNX file (opset " + OnnxExporter.OPSET
                + "), for ONNX Runtime, Netron and every other ONNX tool.",
                "Without --weights the model's freshly initialised weights are exported (as 'nn train' starts "
                        + "from them, with the train block's seed)."},
        footer = {"", "Examples:",
                "  nn train examples/seed-mlp.nn --save seed-mlp.safetensors",
                "  nn export examples/seed-mlp.nn --weights seed-mlp.safetensors --onnx seed-mlp.onnx",
                "  nn export models.nn --model SeparableCnn --weights cnn.safetensors --onnx cnn.onnx",
                "",
                "Exit status: 0 on success, 2 when the file has errors, the weights do not fit or an op has no ONNX "
                        + "mapping."})
final class ExportCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file holding the model")
    Path file;

    @Option(names = "--model", paramLabel = "NAME", description = "which model to export; needed when the file has "
            + "several")
    String model;

    @Option(names = "--weights", paramLabel = "W.safetensors",
            description = "the weights to export, a safetensors checkpoint (nn train --save); without it, the freshly "
                    + "initialised weights")
    Path weights;

    @Option(names = "--onnx", paramLabel = "OUT.onnx", required = true, description = "the ONNX file to write")
    Path onnx;

    ExportCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Sources.requireFile(spec.commandLine(), file);
        if (weights != null && !Files.isRegularFile(weights)) {
            throw new ParameterException(spec.commandLine(), "weights file not found: " + weights);
        }
        PrintStream out = terminal.out();
        PrintStream err = terminal.err();
        Compilation compilation = Sources.compile(file);
        int errors = Sources.printDiagnostics(compilation, err);
        if (errors > 0) {
            err.println(Sources.errorCount(errors));
            return Main.USER_ERROR;
        }
        ExportableModel exportable = ExportableModel.of(compilation, model);
        Map<String, float[]> values;
        String origin;
        if (weights != null) {
            values = exportable.weightsFrom(weights);
            origin = "weights from " + weights;
        } else {
            values = exportable.initialWeights();
            origin = "freshly initialised weights (seed " + exportable.seed() + "; pass --weights for trained ones)";
        }
        Onnx.ModelProto written = exportable.export(values);
        OnnxExporter.write(written, onnx);
        out.printf(Locale.ROOT, "exported %s (%,d parameters, %d ONNX nodes, opset %d) with %s to %s%n",
                exportable.name(), exportable.inference().parameterCount(), written.getGraph().getNodeCount(),
                OnnxExporter.OPSET, origin, onnx);
        out.flush();
        return Main.OK;
    }
}
