package org.nnlang.export.onnx;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.TensorType;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ir.ValueKind;
import org.nnlang.compiler.source.Span;
import org.nnlang.export.onnx.proto.Onnx.AttributeProto;
import org.nnlang.export.onnx.proto.Onnx.GraphProto;
import org.nnlang.export.onnx.proto.Onnx.ModelProto;
import org.nnlang.export.onnx.proto.Onnx.NodeProto;
import org.nnlang.export.onnx.proto.Onnx.OperatorSetIdProto;
import org.nnlang.export.onnx.proto.Onnx.StringStringEntryProto;
import org.nnlang.export.onnx.proto.Onnx.TensorProto;
import org.nnlang.export.onnx.proto.Onnx.TensorShapeProto;
import org.nnlang.export.onnx.proto.Onnx.TypeProto;
import org.nnlang.export.onnx.proto.Onnx.ValueInfoProto;

/**
 * Writes a model's INFERENCE graph (what evaluation runs: no dropout, batch normalisation on its running statistics)
 * with its weights as an ONNX model, opset {@value #OPSET}. Every primitive of the inference graph becomes one ONNX
 * node or a small fixed subgraph (see {@code docs/onnx.md} for the table); a primitive without a mapping is an
 * {@link OnnxExportException} naming the op and its {@code .nn} line, never a silent skip.
 *
 * <p>Names carry over: the graph input is the model's input value (e.g. {@code image}) with the symbolic batch
 * dimension {@code N}; the output is {@code logits} ({@code probabilities} when the model ends in {@code softmax});
 * the weights are initializers named like the parameters and running statistics ({@code linear1.weight},
 * {@code batchnorm1.running_mean}); every other tensor keeps the value name {@code nn inspect} prints.
 */
public final class OnnxExporter {
    /** The ONNX operator set the exported models use. */
    public static final int OPSET = 13;
    /** The IR version written; 7 is the first that opset 13 allows. */
    public static final long IR_VERSION = 7;
    /** The name of the symbolic batch dimension of the input and output. */
    public static final String BATCH_DIM = "N";

    /** The primitives an inference graph may hold that this exporter maps, for messages and docs. */
    public static final List<String> EXPORTABLE = List.of("linear", "conv2d", "max_pool2d", "avg_pool2d",
            "global_avg_pool", "batchnorm_eval", "reshape", "relu", "sigmoid", "tanh", "gelu", "softmax", "add",
            "concat");

    private final Graph graph;
    private final GraphProto.Builder out = GraphProto.newBuilder();
    private final Map<Value, String> names = new HashMap<>();
    private final Set<String> used = new HashSet<>();
    private final Map<String, String> constants = new HashMap<>();

    private final Map<String, Span> sources = new HashMap<>();

    private OnnxExporter(Graph graph, Graph forward) {
        this.graph = graph;
        if (forward != null) {
            for (Node node : forward.nodes()) {
                if (!node.span().isSynthetic()) {
                    node.outputs().forEach(v -> sources.putIfAbsent(v.name(), node.span()));
                }
            }
        }
    }

    /**
     * The ONNX model of {@code inference} with {@code weights}.
     *
     * @param inference an inference graph ({@code stages().inference()} or {@code InferenceGraph.derive})
     * @param weights   values by name for every parameter and model-state value of the graph ({@link #weightValues});
     *                  other entries (a checkpoint's optimizer state, say) are ignored
     * @throws OnnxExportException for an op without an ONNX mapping, or missing or misshapen weights
     */
    public static ModelProto export(Graph inference, Map<String, float[]> weights) {
        return export(inference, null, weights);
    }

    /**
     * As {@link #export(Graph, Map)}, finding the {@code .nn} line of each inference node (whose nodes a pass made,
     * so they carry no source position of their own) from the node of {@code forward} that computes the value of the
     * same name; the lines go into the nodes' {@code doc_string} and into error messages.
     *
     * @param forward the forward graph {@code inference} was derived from, or null
     */
    public static ModelProto export(Graph inference, Graph forward, Map<String, float[]> weights) {
        return new OnnxExporter(inference, forward).model(weights);
    }

    /** {@link #export} written to {@code file}. */
    public static void write(Graph inference, Map<String, float[]> weights, Path file) {
        write(export(inference, weights), file);
    }

    /** Writes an exported model to {@code file}, creating its folder if needed. */
    public static void write(ModelProto model, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, model.toByteArray());
        } catch (IOException e) {
            throw new OnnxExportException("cannot write " + file + ": "
                    + (e.getMessage() != null ? e.getMessage() : e), e);
        }
    }

    /** The values an exported model needs weights for: the parameters, then the model state (running statistics). */
    public static List<Value> weightValues(Graph graph) {
        List<Value> values = new ArrayList<>(graph.parameters());
        graph.state().stream().filter(v -> v.kind() == ValueKind.MODEL_STATE).forEach(values::add);
        return values;
    }

    private ModelProto model(Map<String, float[]> weights) {
        out.setName(graph.name());
        Value input = graph.input();
        names.put(input, reserve(input.name()));
        out.addInput(valueInfo(names.get(input), input.type()));
        Value output = graph.output();
        boolean probabilities = graph.nodes().stream().anyMatch(n -> n.outputs().contains(output)
                && n.kind().equals("softmax"));
        String outputName = reserve(probabilities ? "probabilities" : "logits");
        if (output != input) {
            names.put(output, outputName);
        }
        for (Value w : weightValues(graph)) {
            out.addInitializer(floatTensor(name(w), w.type().dims(), weight(w, weights)));
        }
        for (Node node : graph.nodes()) {
            node(node);
        }
        if (output == input) {
            add("Identity", List.of(names.get(input)), List.of(outputName), List.of(), outputName, "output");
        }
        out.addOutput(valueInfo(outputName, output.type()));
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("nnlang")
                .setProducerVersion(version())
                .setDocString("model " + graph.name() + ", exported by nnlang from its inference graph")
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("nnlang.model").setValue(graph.name()))
                .setGraph(out)
                .build();
    }

    private static String version() {
        String version = OnnxExporter.class.getPackage().getImplementationVersion();
        return version != null ? version : "0.1.0-SNAPSHOT";
    }

    private float[] weight(Value value, Map<String, float[]> weights) {
        float[] values = weights.get(value.name());
        if (values == null) {
            throw new OnnxExportException("no weights for '" + value.name() + "' " + value.type() + " of model "
                    + graph.name() + (weights.isEmpty() ? "; the weights are empty"
                    : "; the weights hold " + summary(weights.keySet())));
        }
        if (values.length != value.type().size()) {
            throw new OnnxExportException("the weights of '" + value.name() + "' have " + values.length
                    + " values, but model " + graph.name() + " needs " + value.type() + " = " + value.type().size());
        }
        return values;
    }

    private static String summary(Set<String> names) {
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        return sorted.size() <= 8 ? String.join(", ", sorted)
                : String.join(", ", sorted.subList(0, 8)) + ", … (" + sorted.size() + " in all)";
    }

    private void node(Node node) {
        String kind = node.kind();
        Map<String, Object> a = node.attributes();
        List<String> inputs = node.inputs().stream().map(this::name).toList();
        String y = name(node.output());
        String label = y;
        Span span = node.span().isSynthetic() ? sources.get(node.output().name()) : node.span();
        String where = span == null ? "" : " at " + span;
        String doc = node.origin() + where;
        switch (kind) {
            case "linear" -> add("Gemm", inputs, List.of(y), List.of(intAttribute("transB", 1)), label, doc);
            case "conv2d" -> {
                int k = node.input(1).type().dim(2);
                int stride = node.intAttribute("stride");
                int padding = node.intAttribute("padding");
                int dilation = node.intAttribute("dilation");
                add("Conv", inputs, List.of(y), List.of(
                        intsAttribute("kernel_shape", k, k),
                        intsAttribute("strides", stride, stride),
                        intsAttribute("pads", padding, padding, padding, padding),
                        intsAttribute("dilations", dilation, dilation),
                        intAttribute("group", node.intAttribute("groups"))), label, doc);
            }
            case "max_pool2d", "avg_pool2d" -> {
                int k = node.intAttribute("kernel");
                int stride = node.intAttribute("stride");
                int padding = node.intAttribute("padding");
                List<AttributeProto> attributes = new ArrayList<>(List.of(
                        intsAttribute("kernel_shape", k, k),
                        intsAttribute("strides", stride, stride),
                        intsAttribute("pads", padding, padding, padding, padding)));
                if (kind.equals("avg_pool2d")) {
                    attributes.add(intAttribute("count_include_pad", 1)); // PyTorch's AvgPool2d default
                }
                // Only the pooled values: max pooling's indices serve the backward pass, which is not exported.
                add(kind.equals("max_pool2d") ? "MaxPool" : "AveragePool", inputs.subList(0, 1), List.of(y),
                        attributes, label, doc);
            }
            case "global_avg_pool" -> {
                String pooled = temporary(y + "/pooled");
                add("GlobalAveragePool", inputs, List.of(pooled), List.of(), pooled, doc);
                add("Flatten", List.of(pooled), List.of(y), List.of(intAttribute("axis", 1)), label, doc);
            }
            case "batchnorm_eval" -> add("BatchNormalization", inputs, List.of(y),
                    List.of(floatAttribute("epsilon", ((Number) a.get("eps")).floatValue())), label, doc);
            case "reshape" -> {
                int[] dims = (int[]) a.get("dims");
                if (dims.length == 1) {
                    add("Flatten", inputs, List.of(y), List.of(intAttribute("axis", 1)), label, doc);
                } else {
                    long[] shape = new long[dims.length + 1];
                    shape[0] = -1; // the batch dimension, whatever its size
                    for (int i = 0; i < dims.length; i++) {
                        shape[i + 1] = dims[i];
                    }
                    add("Reshape", List.of(inputs.get(0), int64Constant(shape)), List.of(y), List.of(), label, doc);
                }
            }
            case "relu" -> add("Relu", inputs, List.of(y), List.of(), label, doc);
            case "sigmoid" -> add("Sigmoid", inputs, List.of(y), List.of(), label, doc);
            case "tanh" -> add("Tanh", inputs, List.of(y), List.of(), label, doc);
            case "gelu" -> {
                // Opset 13 has no Gelu: y = x · 0.5 · (1 + erf(x / √2)), PyTorch's exact GELU.
                String x = inputs.get(0);
                String scaled = temporary(y + "/div");
                String erf = temporary(y + "/erf");
                String plusOne = temporary(y + "/add");
                String times = temporary(y + "/mul");
                add("Div", List.of(x, floatConstant("sqrt2", (float) Math.sqrt(2))), List.of(scaled), List.of(),
                        scaled, doc);
                add("Erf", List.of(scaled), List.of(erf), List.of(), erf, doc);
                add("Add", List.of(erf, floatConstant("one", 1f)), List.of(plusOne), List.of(), plusOne, doc);
                add("Mul", List.of(x, plusOne), List.of(times), List.of(), times, doc);
                add("Mul", List.of(times, floatConstant("half", 0.5f)), List.of(y), List.of(), label, doc);
            }
            case "softmax" -> add("Softmax", inputs, List.of(y), List.of(intAttribute("axis", -1)), label, doc);
            case "add" -> add("Add", inputs, List.of(y), List.of(), label, doc);
            case "concat" -> add("Concat", inputs, List.of(y),
                    List.of(intAttribute("axis", node.intAttribute("axis") + 1)), label, doc); // + the batch axis
            default -> throw new OnnxExportException("cannot export model " + graph.name() + " to ONNX: '"
                    + node.origin() + "'" + where
                    + " is the primitive '" + kind + "', which has no ONNX mapping (opset " + OPSET
                    + "); exportable primitives: " + String.join(", ", EXPORTABLE));
        }
        if (node.output() != graph.output()) {
            out.addValueInfo(valueInfo(y, node.output().type()));
        }
    }

    private void add(String opType, List<String> inputs, List<String> outputs, List<AttributeProto> attributes,
                     String name, String doc) {
        out.addNode(NodeProto.newBuilder()
                .setOpType(opType)
                .setName(name)
                .setDocString(doc)
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .addAllAttribute(attributes));
    }

    /** The ONNX name of a value: its own name, made unique. */
    private String name(Value value) {
        String name = names.get(value);
        if (name == null) {
            name = reserve(value.name());
            names.put(value, name);
        }
        return name;
    }

    private String temporary(String base) {
        return reserve(base);
    }

    private String reserve(String base) {
        String name = base;
        for (int i = 2; !used.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private String floatConstant(String key, float value) {
        return constants.computeIfAbsent("float:" + key, k -> {
            String name = reserve("nnlang.const." + key);
            out.addInitializer(floatTensor(name, new int[0], new float[] {value}));
            return name;
        });
    }

    private String int64Constant(long[] values) {
        return constants.computeIfAbsent("int64:" + java.util.Arrays.toString(values), k -> {
            String name = reserve("nnlang.shape" + java.util.Arrays.toString(values).replace(" ", ""));
            ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                bytes.putLong(v);
            }
            out.addInitializer(TensorProto.newBuilder()
                    .setName(name)
                    .addDims(values.length)
                    .setDataType(TensorProto.DataType.INT64_VALUE)
                    .setRawData(ByteString.copyFrom(bytes.array())));
            return name;
        });
    }

    private static TensorProto floatTensor(String name, int[] dims, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (int d : dims) {
            tensor.addDims(d);
        }
        return tensor.build();
    }

    private static ValueInfoProto valueInfo(String name, TensorType type) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        if (type.isBatched()) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH_DIM));
        }
        for (int d : type.dims()) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape)))
                .build();
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
                .build();
    }

    private static AttributeProto intsAttribute(String name, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            attribute.addInts(v);
        }
        return attribute.build();
    }
}
