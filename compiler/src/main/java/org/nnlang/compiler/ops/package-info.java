/**
 * The primitives and user-facing ops: one file per op, holding its attributes, shape rule and gradient rule, with the math in the Javadoc.
 */
package org.nnlang.compiler.ops;
