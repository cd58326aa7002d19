package org.nnlang.compiler.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nn inspect --format json}: the summaries as one JSON document, for scripts and notebooks, built as a tree
 * of maps and lists (the command line writes it with Gson; the compiler needs no JSON library).
 * <pre>
 * {"models": [{"model": "SeedMlp", "graph": "inference", "batch": 32, "params": 101770, "macs": 101632,
 *   "macsByPhase": {"forward": 101632, …}, "memory": {"totalBytes": …, "allocatedBytes": …,
 *   "byRole": {…}, …},
 *   "nodes": [{"name": "linear1", "path": ["linear1"], "op": "linear", "shape": "[N, 128]", "params": 100480,
 *              "macs": 100352, …}]}]}
 * </pre>
 * MACs are per sample ({@code macsAtBatch} is for the whole batch); bytes are at {@code batch}.
 */
public final class SummaryJson {
    private SummaryJson() {
    }

    /** {@code {"models": [...]}}. */
    public static Map<String, Object> document(List<GraphSummary> summaries) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("models", summaries.stream().map(SummaryJson::model).toList());
        return document;
    }

    /** One summary as a JSON object tree (maps and lists). */
    public static Map<String, Object> model(GraphSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", s.model());
        m.put("graph", s.graph());
        m.put("batch", s.batch());
        m.put("inputs", s.inputs().stream().map(i -> Map.of("name", i.name(), "shape", i.shape())).toList());
        m.put("params", s.params());
        m.put("trainableParams", s.params());
        m.put("nonTrainableParams", 0);
        m.put("modelState", s.modelState());
        m.put("macs", s.macs());
        m.put("macsAtBatch", s.macs() * s.batch());
        Map<String, Object> phases = new LinkedHashMap<>();
        s.macsByPhase().forEach((phase, macs) -> phases.put(phase.label(), macs));
        m.put("macsByPhase", phases);
        m.put("activationBytes", s.activationBytes());
        if (s.memory() == null) {
            m.put("memory", null);
        } else {
            Map<String, Object> memory = new LinkedHashMap<>();
            memory.put("batch", s.memory().batch());
            memory.put("buffers", s.memory().buffers());
            memory.put("totalBytes", s.memory().totalBytes());
            memory.put("byRole", s.memory().bytesByRole());
            memory.put("slots", s.memory().slots());
            memory.put("allocatedBytes", s.memory().allocatedBytes());
            memory.put("transientBytes", s.memory().transientBytes());
            memory.put("transientAllocatedBytes", s.memory().transientAllocatedBytes());
            m.put("memory", memory);
        }
        List<Object> nodes = new ArrayList<>();
        for (NodeRow row : s.rows()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", row.name());
            n.put("path", row.path());
            n.put("op", row.op());
            n.put("phase", row.phase().label());
            n.put("shape", row.outputShape());
            n.put("outputShapes", row.outputs().stream().map(Operand::shape).toList());
            n.put("inputs", row.inputs().stream().map(Operand::name).toList());
            n.put("inputShapes", row.dataInputs().stream().map(Operand::shape).toList());
            n.put("params", row.params());
            n.put("paramsPercent", s.params() == 0 ? 0.0 : Math.round(10000.0 * row.params() / s.params()) / 100.0);
            n.put("macs", row.macs());
            n.put("activationBytes", row.activationBytes(s.batch()));
            n.put("view", row.view());
            n.put("trainable", row.trainable());
            n.put("origin", row.origin());
            n.put("location", row.location());
            nodes.add(n);
        }
        m.put("nodes", nodes);
        return m;
    }
}
