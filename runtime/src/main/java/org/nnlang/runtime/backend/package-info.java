/**
 * Stage 5: backends — a plan loaded onto hardware (the Executable), found through ServiceLoader.
 */
package org.nnlang.runtime.backend;
