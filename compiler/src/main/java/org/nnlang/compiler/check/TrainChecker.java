package org.nnlang.compiler.check;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ast.Argument;
import org.nnlang.compiler.ast.Declaration;
import org.nnlang.compiler.ast.Expression;
import org.nnlang.compiler.ast.Setting;
import org.nnlang.compiler.ops.Signature;
import org.nnlang.compiler.ops.Signature.Attribute;
import org.nnlang.compiler.ops.Signature.Type;
import org.nnlang.compiler.passes.LossKind;
import org.nnlang.compiler.passes.Optimizer;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.Span;
import org.nnlang.compiler.source.Suggestions;
import org.nnlang.runtime.data.DataSource;
import org.nnlang.runtime.train.LearningRateSchedule;

/**
 * Checks the settings of a {@code train} block: known keys, each at most once, values of the right kind and in range.
 * {@code data}, {@code loss} and {@code optimizer} are required; the others default as {@link TrainSettings} says.
 * Optimizer hyper-parameters default to PyTorch's.
 */
public final class TrainChecker {
    static final List<String> KEYS = List.of("data", "loss", "optimizer", "batch", "shuffle", "epochs", "seed",
            "device", "schedule", "warmup", "clip_grad_norm");
    private static final Signature STEP_SCHEDULE = Signature.of(
            Attribute.required("every", Type.INT, 1),
            Attribute.optional("gamma", Type.FLOAT, 0.1, 0));
    private static final Signature COSINE_SCHEDULE = Signature.of(
            Attribute.optional("min_lr", Type.FLOAT, 0.0, 0));

    private static final Signature SGD = Signature.of(
            Attribute.required("lr", Type.FLOAT, 0),
            Attribute.optional("momentum", Type.FLOAT, 0.0, 0),
            Attribute.optional("dampening", Type.FLOAT, 0.0, 0),
            Attribute.optional("nesterov", Type.BOOL, false, null),
            Attribute.optional("weight_decay", Type.FLOAT, 0.0, 0));

    private static Signature adam(double weightDecay) {
        return Signature.of(
                Attribute.optional("lr", Type.FLOAT, 0.001, 0),
                Attribute.optional("beta1", Type.FLOAT, 0.9, 0),
                Attribute.optional("beta2", Type.FLOAT, 0.999, 0),
                Attribute.optional("eps", Type.FLOAT, 1e-8, 0),
                Attribute.optional("weight_decay", Type.FLOAT, weightDecay, 0));
    }

    private final Diagnostics diagnostics;
    private final Map<String, Object> noNames = Map.of();

    private TrainChecker(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** @return the settings, or {@code null} when any is wrong or missing (all reported) */
    public static TrainSettings check(Declaration.Train train, Diagnostics diagnostics) {
        return new TrainChecker(diagnostics).run(train);
    }

    private TrainSettings run(Declaration.Train train) {
        int errorsBefore = diagnostics.errorCount();
        Map<String, Setting> settings = new HashMap<>();
        for (Setting setting : train.settings()) {
            if (!KEYS.contains(setting.key())) {
                diagnostics.error(setting.keySpan(), "unknown train setting '" + setting.key() + "'",
                        hintFor(setting.key(), KEYS));
            } else if (settings.containsKey(setting.key())) {
                diagnostics.error(setting.keySpan(), "'" + setting.key() + "' is set twice",
                        "first set at " + settings.get(setting.key()).keySpan());
            } else {
                settings.put(setting.key(), setting);
            }
        }
        for (String required : List.of("data", "loss", "optimizer")) {
            if (!settings.containsKey(required)) {
                diagnostics.error(train.modelSpan(), "train block for '" + train.model() + "' has no '" + required
                        + "' setting", example(required));
            }
        }
        DataSource data = settings.containsKey("data") ? data(settings.get("data")) : null;
        LossKind loss = settings.containsKey("loss") ? loss(settings.get("loss")) : null;
        Optimizer optimizer = settings.containsKey("optimizer") ? optimizer(settings.get("optimizer")) : null;
        Integer batch = integer(settings.get("batch"), TrainSettings.DEFAULT_BATCH, 1);
        Integer epochs = integer(settings.get("epochs"), TrainSettings.DEFAULT_EPOCHS, 1);
        Integer seed = integer(settings.get("seed"), TrainSettings.DEFAULT_SEED, 0);
        Boolean shuffle = bool(settings.get("shuffle"), TrainSettings.DEFAULT_SHUFFLE);
        String device = word(settings.get("device"), TrainSettings.DEFAULT_DEVICE, TrainSettings.DEVICES);
        LearningRateSchedule.Decay decay = settings.containsKey("schedule") ? decay(settings.get("schedule"))
                : new LearningRateSchedule.Decay.None();
        Integer warmup = integer(settings.get("warmup"), 0, 0);
        Double clip = settings.containsKey("clip_grad_norm") ? positive(settings.get("clip_grad_norm")) : null;
        if (diagnostics.errorCount() > errorsBefore) {
            return null;
        }
        Span lossSpan = settings.get("loss").value().span();
        return new TrainSettings(data, loss, lossSpan, optimizer, batch, shuffle, epochs, seed, device,
                new LearningRateSchedule(optimizer.lr(), decay, warmup), clip);
    }

    private DataSource data(Setting setting) {
        Expression value = setting.value();
        if (value instanceof Expression.Name name && name.name().equals("fashion_mnist")) {
            return new DataSource.BundledFashionMnist();
        }
        if (value instanceof Expression.Call call && call.name().equals("idx")) {
            if (call.arguments().size() == 1 && !call.arguments().get(0).isNamed()
                    && call.arguments().get(0).value() instanceof Expression.Text dir) {
                return new DataSource.IdxFolder(dir.value());
            }
            diagnostics.error(call.span(), "idx takes one folder name in quotes, e.g. idx(\"data/fashion\")");
            return null;
        }
        String word = value instanceof Expression.Name n ? n.name()
                : value instanceof Expression.Call c ? c.name() : null;
        diagnostics.error(value.span(), "unknown data '" + Describe.expression(value) + "'",
                word == null ? new String[] {"use fashion_mnist or idx(\"folder\")"}
                        : hintFor(word, List.of("fashion_mnist", "idx")));
        return null;
    }

    private LossKind loss(Setting setting) {
        List<String> names = Arrays.stream(LossKind.values()).map(LossKind::keyword).toList();
        if (setting.value() instanceof Expression.Name name) {
            for (LossKind kind : LossKind.values()) {
                if (kind.keyword().equals(name.name())) {
                    return kind;
                }
            }
            diagnostics.error(name.span(), "unknown loss '" + name.name() + "'", hintFor(name.name(), names));
        } else {
            diagnostics.error(setting.value().span(), "loss must be one of " + String.join(", ", names)
                    + ", found " + Describe.expression(setting.value()));
        }
        return null;
    }

    private Optimizer optimizer(Setting setting) {
        Expression value = setting.value();
        String name;
        List<Argument> arguments;
        Span nameSpan;
        if (value instanceof Expression.Call call) {
            name = call.name();
            arguments = call.arguments();
            nameSpan = call.nameSpan();
        } else if (value instanceof Expression.Name bare) {
            name = bare.name();
            arguments = List.of();
            nameSpan = bare.span();
        } else {
            diagnostics.error(value.span(), "optimizer must be sgd(...), adam(...) or adamw(...), found "
                    + Describe.expression(value));
            return null;
        }
        Signature signature = switch (name) {
            case "sgd" -> SGD;
            case "adam" -> adam(0.0);
            case "adamw" -> adam(0.01);
            default -> null;
        };
        if (signature == null) {
            diagnostics.error(nameSpan, "unknown optimizer '" + name + "'",
                    hintFor(name, List.of("sgd", "adam", "adamw")));
            return null;
        }
        Map<String, Object> a = AttributeBinder.bind(name, signature, arguments, noNames, value.span(), diagnostics);
        if (a == null) {
            return null;
        }
        if (name.equals("sgd")) {
            double momentum = (Double) a.get("momentum");
            double dampening = (Double) a.get("dampening");
            boolean nesterov = (Boolean) a.get("nesterov");
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                diagnostics.error(value.span(), "nesterov momentum needs momentum > 0 and dampening = 0");
                return null;
            }
            return new Optimizer.Sgd((Double) a.get("lr"), momentum, dampening, nesterov,
                    (Double) a.get("weight_decay"));
        }
        for (String beta : List.of("beta1", "beta2")) {
            if ((Double) a.get(beta) >= 1) {
                diagnostics.error(value.span(), beta + " of " + name + " must be in [0, 1), found " + a.get(beta));
                return null;
            }
        }
        return new Optimizer.Adam((Double) a.get("lr"), (Double) a.get("beta1"), (Double) a.get("beta2"),
                (Double) a.get("eps"), (Double) a.get("weight_decay"), name.equals("adamw"));
    }

    /** {@code step(every = 2, gamma = 0.5)}, {@code cosine(min_lr = 0)} or {@code constant}. */
    private LearningRateSchedule.Decay decay(Setting setting) {
        Expression value = setting.value();
        String name = value instanceof Expression.Call c ? c.name() : value instanceof Expression.Name n ? n.name()
                : null;
        List<Argument> arguments = value instanceof Expression.Call c ? c.arguments() : List.of();
        if ("constant".equals(name) && arguments.isEmpty()) {
            return new LearningRateSchedule.Decay.None();
        }
        if ("step".equals(name) || "cosine".equals(name)) {
            boolean step = name.equals("step");
            Map<String, Object> a = AttributeBinder.bind(name, step ? STEP_SCHEDULE : COSINE_SCHEDULE, arguments,
                    noNames, value.span(), diagnostics);
            if (a == null) {
                return null;
            }
            return step ? new LearningRateSchedule.Decay.Step((Integer) a.get("every"), (Double) a.get("gamma"))
                    : new LearningRateSchedule.Decay.Cosine((Double) a.get("min_lr"));
        }
        diagnostics.error(value.span(), "unknown schedule '" + Describe.expression(value) + "'",
                name == null ? new String[] {"use step(every = …, gamma = …), cosine(min_lr = …) or constant"}
                        : hintFor(name, List.of("step", "cosine", "constant")));
        return null;
    }

    private Double positive(Setting setting) {
        Object value = Constants.evaluate(setting.value(), noNames, diagnostics);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number) || number.doubleValue() <= 0) {
            diagnostics.error(setting.value().span(), "'" + setting.key() + "' must be a positive number, found "
                    + Describe.value(value));
            return null;
        }
        return number.doubleValue();
    }

    private Integer integer(Setting setting, int defaultValue, int min) {
        if (setting == null) {
            return defaultValue;
        }
        Object value = Constants.evaluate(setting.value(), noNames, diagnostics);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer i)) {
            diagnostics.error(setting.value().span(), "'" + setting.key() + "' must be an integer, found "
                    + Describe.value(value));
            return null;
        }
        if (i < min) {
            diagnostics.error(setting.value().span(), "'" + setting.key() + "' must be at least " + min
                    + ", found " + i);
            return null;
        }
        return i;
    }

    private Boolean bool(Setting setting, boolean defaultValue) {
        if (setting == null) {
            return defaultValue;
        }
        if (setting.value() instanceof Expression.Bool b) {
            return b.value();
        }
        diagnostics.error(setting.value().span(), "'" + setting.key() + "' must be true or false, found "
                + Describe.expression(setting.value()));
        return null;
    }

    private String word(Setting setting, String defaultValue, List<String> allowed) {
        if (setting == null) {
            return defaultValue;
        }
        if (setting.value() instanceof Expression.Name name && allowed.contains(name.name())) {
            return name.name();
        }
        String found = Describe.expression(setting.value());
        diagnostics.error(setting.value().span(), "'" + setting.key() + "' must be one of "
                + String.join(", ", allowed) + ", found " + found, hintFor(found, allowed));
        return null;
    }

    private static String[] hintFor(String word, List<String> candidates) {
        String[] suggestion = Suggestions.didYouMean(word, candidates);
        return suggestion.length > 0 ? suggestion : new String[] {"expected one of: " + String.join(", ", candidates)};
    }

    private static String example(String key) {
        return switch (key) {
            case "data" -> "e.g. data = fashion_mnist";
            case "loss" -> "e.g. loss = cross_entropy";
            default -> "e.g. optimizer = adam(lr = 0.001)";
        };
    }
}
