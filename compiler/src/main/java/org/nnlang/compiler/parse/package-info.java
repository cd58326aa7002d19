/**
 * Stage 1: .nn text → AST. The only package that touches ANTLR: the parser facade ({@code SourceParser}), the AST
 * builder, student-friendly syntax errors, and the token, parse-tree and layout readers that the dumps and the
 * formatter use.
 */
package org.nnlang.compiler.parse;
