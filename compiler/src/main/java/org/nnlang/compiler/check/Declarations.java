package org.nnlang.compiler.check;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nnlang.compiler.ast.Declaration;

/** The models and blocks a program can use, from its own file and everything it imports, by name. */
public final class Declarations {
    private final Map<String, Declaration.Model> models = new LinkedHashMap<>();
    private final Map<String, Declaration.Block> blocks = new LinkedHashMap<>();

    void add(Declaration.Model model) {
        models.put(model.name(), model);
    }

    void add(Declaration.Block block) {
        blocks.put(block.name(), block);
    }

    public Map<String, Declaration.Model> models() {
        return java.util.Collections.unmodifiableMap(models);
    }

    public Declaration.Block block(String name) {
        return blocks.get(name);
    }

    public Set<String> blockNames() {
        return new TreeSet<>(blocks.keySet());
    }
}
