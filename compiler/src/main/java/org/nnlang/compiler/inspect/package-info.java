/**
 * Looking at a compiled model from outside the pipeline: {@link org.nnlang.compiler.inspect.ModelInspector} turns a
 * graph (and the plan, for the memory figure) into a torchinfo-style {@link org.nnlang.compiler.inspect.GraphSummary}
 * — one row per node with its shapes, parameters, multiply-accumulates and activation memory — which
 * {@link org.nnlang.compiler.inspect.SummaryTable}, {@link org.nnlang.compiler.inspect.SummaryJson} and
 * {@link org.nnlang.compiler.inspect.SummaryDot} print; {@link org.nnlang.compiler.inspect.GraphDiff} compares two
 * summaries node by node. Nothing here changes a graph: it only reads what the passes made.
 */
package org.nnlang.compiler.inspect;
