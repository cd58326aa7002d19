package org.nnlang.cli;

/** Placeholder entry point until the commands land. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("nn: not built yet");
        System.exit(2);
    }
}
