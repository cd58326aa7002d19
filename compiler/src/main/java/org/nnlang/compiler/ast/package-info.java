/**
 * Stage 1 output: the AST, immutable records with source spans that equality ignores.
 */
package org.nnlang.compiler.ast;
