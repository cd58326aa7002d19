package org.nnlang.cli;

import java.io.PrintStream;

/**
 * Where a command prints: results on {@code out}, diagnostics, errors and the progress bar on {@code err}.
 *
 * @param interactive whether a person is watching {@code err} on a terminal, so a live progress bar makes sense
 */
record Terminal(PrintStream out, PrintStream err, boolean interactive) {
}
