/**
 * Stage 3: forward graph → training graph. Attach the loss, reverse-mode autodiff, optimizer lowering; verified after each pass.
 */
package org.nnlang.compiler.passes;
