/**
 * Stage 4 output: the execution plan, the plain-data contract between the compiler and every backend.
 */
package org.nnlang.runtime.plan;
