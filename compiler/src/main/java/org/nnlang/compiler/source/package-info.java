/**
 * Stage 0: source text → spans and diagnostics. Files, positions, and the one funnel every stage reports problems through.
 */
package org.nnlang.compiler.source;
