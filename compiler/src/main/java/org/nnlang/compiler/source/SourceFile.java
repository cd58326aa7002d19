package org.nnlang.compiler.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The text of one {@code .nn} file, with the name diagnostics print for it and fast access to its lines. */
public final class SourceFile {
    private final String name;
    private final Path path;
    private final String text;
    private final List<String> lines;

    /**
     * @param name what diagnostics print before {@code :line:col}, usually the path as the user typed it
     * @param path where the file lives, used to resolve imports; {@code null} for text that came from memory
     */
    public SourceFile(String name, Path path, String text) {
        this.name = name;
        this.path = path;
        this.text = text;
        this.lines = splitLines(text);
    }

    public static SourceFile read(Path path) throws IOException {
        return new SourceFile(path.toString(), path, Files.readString(path, StandardCharsets.UTF_8));
    }

    public static SourceFile of(String name, String text) {
        return new SourceFile(name, null, text);
    }

    public String name() {
        return name;
    }

    /** The file's location on disk, or {@code null} when the text did not come from a file. */
    public Path path() {
        return path;
    }

    public String text() {
        return text;
    }

    /** Line {@code number} (1-based) without its line terminator; empty past the end of the file. */
    public String line(int number) {
        return number >= 1 && number <= lines.size() ? lines.get(number - 1) : "";
    }

    public int lineCount() {
        return lines.size();
    }

    private static List<String> splitLines(String text) {
        List<String> result = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                result.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        result.add(text.substring(start));
        return List.copyOf(result);
    }

    @Override
    public String toString() {
        return name;
    }
}
