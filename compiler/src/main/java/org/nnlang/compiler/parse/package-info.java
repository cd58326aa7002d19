/**
 * Stage 1: .nn text → AST. {@link org.nnlang.compiler.parse.SourceParser} is the only way in; the other classes of
 * this package are its helpers and the only other code that sees ANTLR: the AST builder, the error strategy that
 * words syntax errors for students and resynchronises after them, and the spans of tokens.
 */
package org.nnlang.compiler.parse;
