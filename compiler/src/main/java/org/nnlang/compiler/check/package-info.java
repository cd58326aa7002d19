/**
 * Stage 2: AST → checked forward graph. Names, attributes, expressions and shapes, with a symbolic batch dimension; train blocks → settings.
 */
package org.nnlang.compiler.check;
