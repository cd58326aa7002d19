package org.nnlang.compiler.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.nnlang.compiler.ast.CompilationUnit;
import org.nnlang.compiler.ast.Declaration;
import org.nnlang.compiler.parse.SourceParser;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.compiler.source.Span;

/**
 * Reads a file and everything it imports, transitively, and collects their models and blocks into one
 * {@link Declarations} table. {@code import "path.nn"} is relative to the importing file; each file is read once
 * however often it is imported; an import cycle, a missing file and a name declared twice are errors at the place
 * that causes them.
 */
public final class ProgramLoader {
    private final Diagnostics diagnostics;
    private final Map<Path, CompilationUnit> loaded = new LinkedHashMap<>();
    private final Deque<Path> importing = new ArrayDeque<>();
    private final Declarations declarations = new Declarations();
    private final Map<String, Span> declaredAt = new HashMap<>();

    /** Everything the loader found: the main file's tree, every unit in load order, and the declarations. */
    public record Program(CompilationUnit main, List<CompilationUnit> units, Declarations declarations) {
    }

    private ProgramLoader(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    public static Program load(SourceFile main, Diagnostics diagnostics) {
        ProgramLoader loader = new ProgramLoader(diagnostics);
        CompilationUnit unit = loader.parse(main);
        return new Program(unit, new ArrayList<>(loader.loaded.values()), loader.declarations);
    }

    private CompilationUnit parse(SourceFile file) {
        CompilationUnit unit = SourceParser.parse(file, diagnostics);
        Path key = file.path() == null ? Path.of(file.name()) : file.path().toAbsolutePath().normalize();
        loaded.put(key, unit);
        importing.push(key);
        try {
            for (Declaration declaration : unit.declarations()) {
                if (declaration instanceof Declaration.Import imported) {
                    follow(imported, file);
                } else if (declaration instanceof Declaration.Model model) {
                    if (declare(model.name(), model.nameSpan())) {
                        declarations.add(model);
                    }
                } else if (declaration instanceof Declaration.Block block) {
                    if (declare(block.name(), block.nameSpan())) {
                        declarations.add(block);
                    }
                }
            }
        } finally {
            importing.pop();
        }
        return unit;
    }

    private void follow(Declaration.Import imported, SourceFile from) {
        Path base = from.path() == null ? Path.of("") : from.path().toAbsolutePath().getParent();
        Path target = base.resolve(imported.path()).normalize();
        if (importing.contains(target)) {
            List<Path> cycle = new ArrayList<>(importing);
            java.util.Collections.reverse(cycle);
            String chain = cycle.subList(cycle.indexOf(target), cycle.size()).stream()
                    .map(p -> p.getFileName().toString()).collect(Collectors.joining(" -> "));
            diagnostics.error(imported.span(), "import cycle: " + chain + " -> " + target.getFileName(),
                    "files must not import each other in a circle; move the shared blocks into a third file");
            return;
        }
        if (loaded.containsKey(target)) {
            return;
        }
        if (!Files.isRegularFile(target)) {
            diagnostics.error(imported.span(), "cannot find imported file '" + imported.path() + "'",
                    "looked for " + target);
            return;
        }
        try {
            parse(new SourceFile(displayName(target), target, Files.readString(target)));
        } catch (IOException e) {
            diagnostics.error(imported.span(), "cannot read imported file '" + imported.path() + "': "
                    + e.getMessage());
        }
    }

    /** Paths as short as they can be: relative to the working directory when the file is below it. */
    private static String displayName(Path path) {
        Path here = Path.of("").toAbsolutePath();
        return path.startsWith(here) ? here.relativize(path).toString() : path.toString();
    }

    private boolean declare(String name, Span span) {
        Span previous = declaredAt.putIfAbsent(name, span);
        if (previous != null) {
            diagnostics.error(span, "'" + name + "' is already declared", "first declared at " + previous);
            return false;
        }
        return true;
    }
}
