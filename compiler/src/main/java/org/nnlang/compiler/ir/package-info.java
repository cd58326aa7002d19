/**
 * Stage 2 output: the graph IR — values, nodes, the builder that types them, the verifier run after every pass, and the printer.
 */
package org.nnlang.compiler.ir;
