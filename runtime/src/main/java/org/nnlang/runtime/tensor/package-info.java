/**
 * Shared building blocks of the runtime: the seeded random source.
 */
package org.nnlang.runtime.tensor;
