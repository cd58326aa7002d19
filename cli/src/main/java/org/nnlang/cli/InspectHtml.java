package org.nnlang.cli;

import com.google.gson.Gson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;
import org.nnlang.compiler.inspect.GraphSummary;
import org.nnlang.compiler.inspect.NodeRow;
import org.nnlang.compiler.inspect.Operand;
import org.nnlang.compiler.inspect.Phase;
import org.nnlang.compiler.inspect.SummaryJson;
import org.nnlang.compiler.inspect.Units;

/**
 * {@code nn inspect --format html}: ONE self-contained HTML file with each model's graph as inline SVG. The layout
 * is computed here, in Java, by the Eclipse Layout Kernel's layered algorithm (Sugiyama style: layers, crossing
 * minimisation, orthogonal edges with their labels placed); the page only draws the coordinates and needs no
 * network and no JavaScript library. Every node is an SVG group {@code <g class="node" data-name="…">}; clicking one
 * shows its op, shapes, parameters, MACs and source line, and a toggle switches between the inference and the
 * training graph (both laid out, one visible at a time). The address can pick them: {@code page.html#training}
 * shows the training graphs, {@code page.html#training:grad(linear1)} also selects that node.
 */
final class InspectHtml {
    private static final double CHAR_WIDTH = 6.7;
    private static final double LINE_HEIGHT = 14;
    private static final Map<Phase, String> FILL = Map.of(Phase.FORWARD, "#dbe8fb", Phase.LOSS, "#fdf0c2",
            Phase.BACKWARD, "#fbdcdc", Phase.OPTIMIZER, "#dcf5dc");

    /** One model: its inference graph and, with a train block, its training graph (else null). */
    record ModelViews(GraphSummary inference, GraphSummary training) {
    }

    private InspectHtml() {
    }

    static String render(String title, List<ModelViews> models) {
        ensureElk();
        StringBuilder body = new StringBuilder();
        Map<String, Object> data = new LinkedHashMap<>();
        int index = 0;
        for (ModelViews model : models) {
            String id = "m" + index++;
            GraphSummary first = model.inference();
            body.append("<section class=\"model\" id=\"").append(id).append("\">\n<h2>").append(escape(first.model()))
                    .append("</h2>\n<p class=\"facts\">").append(Units.number(first.params())).append(" parameters · ")
                    .append(Units.number(first.macs())).append(" MACs per sample");
            if (first.memory() != null) {
                body.append(" · ").append(Units.bytes(first.memory().allocatedBytes())).append(" of buffers at batch ")
                        .append(first.memory().batch());
            }
            body.append("</p>\n<div class=\"toggle\">");
            body.append("<button class=\"on\" data-show=\"inference\">inference graph</button>");
            if (model.training() != null) {
                body.append("<button data-show=\"training\">training graph</button>");
            }
            body.append("</div>\n<div class=\"panes\"><div class=\"pictures\">\n");
            for (GraphSummary summary : model.training() == null ? List.of(model.inference())
                    : List.of(model.inference(), model.training())) {
                String graph = summary == model.inference() ? "inference" : "training";
                body.append("<div class=\"view\" data-graph=\"").append(graph).append('"')
                        .append(graph.equals("inference") ? "" : " hidden").append(">\n");
                body.append(svg(summary, graph, id));
                body.append("</div>\n");
                data.put(id + "/" + graph, SummaryJson.model(summary));
            }
            body.append("</div><aside class=\"details\"><p class=\"hint\">Click a node for its details.</p></aside>"
                    + "</div>\n</section>\n");
        }
        return PAGE.replace("$TITLE", escape(title)).replace("$BODY", body.toString())
                .replace("$DATA", new Gson().toJson(data)); // Gson escapes <, > and &, so the data cannot end the script
    }

    /** ELK finds its algorithms through ServiceLoader; register the layered one by hand should that fail. */
    private static void ensureElk() {
        LayoutMetaDataService service = LayoutMetaDataService.getInstance();
        if (service.getAlgorithmData(LayeredOptions.ALGORITHM_ID) == null) {
            service.registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
        }
    }

    /** Lays out one graph with ELK and draws it. */
    private static String svg(GraphSummary summary, String graph, String modelId) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.DOWN);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        root.setProperty(CoreOptions.PADDING, new ElkPadding(20));
        root.setProperty(CoreOptions.SPACING_NODE_NODE, 28.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 36.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_LABEL, 4.0);
        Map<String, ElkNode> nodes = new LinkedHashMap<>();
        Map<ElkNode, List<String>> lines = new HashMap<>();
        Map<ElkNode, Object> owners = new HashMap<>();
        for (Operand input : summary.inputs()) {
            ElkNode node = box(root, List.of(input.name(), input.kind() + " " + input.shape()), lines);
            nodes.put(input.name(), node);
            owners.put(node, input);
        }
        for (NodeRow row : summary.rows()) {
            List<String> text = new ArrayList<>();
            text.add(row.name());
            text.add(row.op() + (row.outputs().isEmpty() ? "" : " → " + row.outputShape()));
            if (row.params() > 0) {
                text.add(Units.number(row.params()) + " params");
            }
            ElkNode node = box(root, text, lines);
            nodes.put(row.name(), node);
            owners.put(node, row);
        }
        List<ElkEdge> edges = new ArrayList<>();
        for (NodeRow row : summary.rows()) {
            for (Operand input : row.dataInputs()) {
                ElkNode from = nodes.get(input.producer() != null ? input.producer() : input.name());
                if (from == null) {
                    continue;
                }
                ElkEdge edge = ElkGraphUtil.createSimpleEdge(from, nodes.get(row.name()));
                ElkLabel label = ElkGraphUtil.createLabel(input.shape(), edge);
                label.setDimensions(input.shape().length() * CHAR_WIDTH * 0.9 + 4, 12);
                label.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
                edges.add(edge);
            }
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" "
                + "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">%n", root.getWidth(), root.getHeight(),
                root.getWidth(), root.getHeight()));
        svg.append("<defs><marker id=\"arrow-").append(modelId).append('-').append(graph)
                .append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
                        + "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#667\"/></marker></defs>\n");
        for (ElkEdge edge : edges) {
            svg.append("<g class=\"edge\">");
            for (ElkEdgeSection section : edge.getSections()) {
                StringBuilder points = new StringBuilder();
                points.append(point(section.getStartX(), section.getStartY()));
                for (ElkBendPoint bend : section.getBendPoints()) {
                    points.append(' ').append(point(bend.getX(), bend.getY()));
                }
                points.append(' ').append(point(section.getEndX(), section.getEndY()));
                svg.append("<polyline points=\"").append(points).append("\" marker-end=\"url(#arrow-")
                        .append(modelId).append('-').append(graph).append(")\"/>");
            }
            for (ElkLabel label : edge.getLabels()) {
                svg.append(String.format(Locale.ROOT, "<text class=\"shape\" x=\"%.1f\" y=\"%.1f\">%s</text>",
                        label.getX() + 2, label.getY() + 10, escape(label.getText())));
            }
            svg.append("</g>\n");
        }
        for (Map.Entry<String, ElkNode> entry : nodes.entrySet()) {
            ElkNode node = entry.getValue();
            Object owner = owners.get(node);
            boolean isInput = owner instanceof Operand;
            String fill = isInput ? "#eeeeee" : FILL.get(((NodeRow) owner).phase());
            svg.append(String.format(Locale.ROOT, "<g class=\"node%s\" data-name=\"%s\" data-graph=\"%s\" "
                            + "transform=\"translate(%.1f,%.1f)\" tabindex=\"0\">", isInput ? " input" : "",
                    escape(entry.getKey()), graph, node.getX(), node.getY()));
            svg.append("<title>").append(escape(entry.getKey())).append("</title>");
            svg.append(String.format(Locale.ROOT, "<rect width=\"%.1f\" height=\"%.1f\" rx=\"%d\" fill=\"%s\"/>",
                    node.getWidth(), node.getHeight(), isInput ? 14 : 6, fill));
            List<String> text = lines.get(node);
            for (int i = 0; i < text.size(); i++) {
                svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%.1f\"%s>%s</text>", 16 + i * LINE_HEIGHT,
                        i == 0 ? " class=\"name\"" : "", escape(text.get(i))));
            }
            svg.append("</g>\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static ElkNode box(ElkNode root, List<String> text, Map<ElkNode, List<String>> lines) {
        ElkNode node = ElkGraphUtil.createNode(root);
        int longest = text.stream().mapToInt(String::length).max().orElse(4);
        node.setDimensions(Math.max(80, longest * CHAR_WIDTH + 16), text.size() * LINE_HEIGHT + 10);
        lines.put(node, text);
        return node;
    }

    private static String point(double x, double y) {
        return String.format(Locale.ROOT, "%.1f,%.1f", x, y);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>$TITLE</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #222; background: #fff; }
            h1 { font-size: 18px; margin: 0 0 8px; } h2 { font-size: 16px; margin: 16px 0 2px; }
            .facts { margin: 0 0 8px; color: #555; }
            .toggle button { font: inherit; padding: 3px 10px; border: 1px solid #99a; background: #f4f4f8;
                             cursor: pointer; } .toggle button.on { background: #335; color: #fff; }
            .panes { margin-top: 8px; }
            .pictures { display: inline-block; border: 1px solid #ddd; }
            .details { width: 300px; position: fixed; right: 16px; top: 16px; font-size: 13px; z-index: 1;
                       border: 1px solid #ccc; padding: 8px 12px; background: #fafafaee; }
            .details table { border-collapse: collapse; } .details td { padding: 1px 6px 1px 0; vertical-align: top; }
            .details td:first-child { color: #666; } .hint { color: #888; }
            svg.graph text { font: 11px monospace; fill: #222; } svg.graph text.name { font-weight: bold; }
            svg.graph text.shape { fill: #557; font-size: 10px; }
            .edge polyline { fill: none; stroke: #667; stroke-width: 1.2; }
            .node rect { stroke: #556; stroke-width: 1; } .node { cursor: pointer; }
            .node.selected rect { stroke: #d33; stroke-width: 2.5; }
            .legend span { display: inline-block; padding: 0 8px; margin-right: 4px; border: 1px solid #556; }
            </style>
            </head>
            <body>
            <h1>$TITLE</h1>
            <p class="legend"><span style="background:#dbe8fb">forward</span><span style="background:#fdf0c2">loss</span><span style="background:#fbdcdc">backward</span><span style="background:#dcf5dc">optimizer</span> edges carry the shape of the value flowing along them; N is the batch dimension</p>
            $BODY
            <script>
            const NN = $DATA;
            function row(k, v) { return '<tr><td>' + k + '</td><td>' + v + '</td></tr>'; }
            function esc(s) { return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;'); }
            function fmt(n) { return Number(n).toLocaleString('en-US'); }
            document.querySelectorAll('section.model').forEach(function (section) {
              const details = section.querySelector('.details');
              section.querySelectorAll('.toggle button').forEach(function (button) {
                button.addEventListener('click', function () {
                  section.querySelectorAll('.toggle button').forEach(function (b) { b.classList.toggle('on', b === button); });
                  section.querySelectorAll('.view').forEach(function (v) { v.hidden = v.dataset.graph !== button.dataset.show; });
                });
              });
              section.querySelectorAll('g.node').forEach(function (g) {
                g.addEventListener('click', function () {
                  section.querySelectorAll('g.node.selected').forEach(function (s) { s.classList.remove('selected'); });
                  g.classList.add('selected');
                  const model = NN[section.id + '/' + g.dataset.graph];
                  const node = model.nodes.find(function (n) { return n.name === g.dataset.name; });
                  if (!node) {
                    const input = model.inputs.find(function (i) { return i.name === g.dataset.name; });
                    details.innerHTML = '<h3>' + esc(g.dataset.name) + '</h3><table>' + row('input', esc(input ? input.shape : '')) + '</table>';
                    return;
                  }
                  details.innerHTML = '<h3>' + esc(node.name) + '</h3><table>'
                    + row('op', esc(node.op)) + row('phase', node.phase)
                    + row('inputs', esc(node.inputs.join(', ')))
                    + row('input shapes', esc(node.inputShapes.join(', ') || '—'))
                    + row('output shape', esc(node.shape))
                    + row('params', fmt(node.params) + (node.params ? ' (' + node.paramsPercent + '%)' : ''))
                    + row('MACs / sample', fmt(node.macs))
                    + row('activations', node.view ? 'a view, no memory' : fmt(node.activationBytes) + ' bytes at batch ' + model.batch)
                    + row('origin', esc(node.origin)) + row('source', esc(node.location || '—')) + '</table>';
                });
              });
            });
            // #training shows the training graphs; #training:NAME (or #inference:NAME) also selects a node.
            (function () {
              const hash = decodeURIComponent(location.hash.slice(1));
              if (!hash) { return; }
              const graph = hash.split(':')[0], name = hash.slice(graph.length + 1);
              document.querySelectorAll('.toggle button[data-show="' + graph + '"]').forEach(function (b) { b.click(); });
              document.querySelectorAll('g.node[data-graph="' + graph + '"]').forEach(function (g) {
                if (g.dataset.name === name) { g.dispatchEvent(new Event('click')); }
              });
            })();
            </script>
            </body>
            </html>
            """;
}
