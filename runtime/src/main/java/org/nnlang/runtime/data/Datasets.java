package org.nnlang.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.nnlang.runtime.NnException;

/**
 * Loads the data a {@code train} block names into memory: {@code data = fashion_mnist} (the sample bundled in the
 * runtime jar) or {@code data = idx("dir")} (any folder of MNIST-format IDX files).
 *
 * <p>Pixels become floats scaled to [0, 1] by {@code x / 255f}, as torchvision's {@code ToTensor()} does, so that a
 * model here and its PyTorch twin see the same numbers; each sample has shape {@code [1, rows, cols]}. Labels must be
 * classes 0..9: every MNIST-format data set has ten.
 */
public final class Datasets {
    /** The number of classes of an MNIST-format data set; labels are {@code 0..MNIST_CLASSES-1}. */
    public static final int MNIST_CLASSES = 10;

    /** Where the bundled Fashion-MNIST sample lives on the classpath (see the README.md there). */
    public static final String BUNDLED_FASHION_MNIST = "/org/nnlang/runtime/data/fashion-mnist-sample/";

    static final String BUNDLED_NAME = "bundled Fashion-MNIST sample";

    /** The four files of an MNIST-format folder, each optionally followed by {@code .gz}. */
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private Datasets() {
    }

    /**
     * Reads the training and test halves of {@code source}.
     *
     * @throws NnException for anything wrong with the data: a missing folder or file, a damaged file, counts or
     *                     shapes that do not agree, a label out of range
     */
    public static TrainTestSplit load(DataSource source) {
        if (source instanceof DataSource.BundledFashionMnist) {
            return loadBundledFashionMnist();
        }
        if (source instanceof DataSource.IdxFolder folder) {
            return loadIdxFolder(Path.of(folder.directory()));
        }
        throw new IllegalArgumentException("unknown data source " + source);
    }

    /** The 10,000 training and 2,000 test images of the bundled Fashion-MNIST sample. */
    public static TrainTestSplit loadBundledFashionMnist() {
        Dataset train = dataset(BUNDLED_NAME, bundledImages(TRAIN_IMAGES), bundledLabels(TRAIN_LABELS));
        Dataset test = dataset(BUNDLED_NAME, bundledImages(TEST_IMAGES), bundledLabels(TEST_LABELS));
        return split(train, test, BUNDLED_NAME);
    }

    /**
     * Reads {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and
     * {@code t10k-labels-idx1-ubyte} from {@code directory}, each raw or gzipped (the name may end in {@code .gz}).
     */
    public static TrainTestSplit loadIdxFolder(Path directory) {
        if (!Files.exists(directory)) {
            throw new NnException("data folder " + directory + " does not exist"
                    + (directory.isAbsolute() ? "" : " (looked in " + directory.toAbsolutePath().normalize() + ")"));
        }
        if (!Files.isDirectory(directory)) {
            throw new NnException("data folder " + directory + " is a file, expected a folder holding "
                    + expectedFiles());
        }
        List<String> missing = new ArrayList<>();
        Path[] found = new Path[FILES.size()];
        for (int i = 0; i < FILES.size(); i++) {
            found[i] = find(directory, FILES.get(i));
            if (found[i] == null) {
                missing.add(FILES.get(i) + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new NnException("data folder " + directory + " has no " + String.join(", no ", missing)
                    + "; an MNIST-format folder holds " + expectedFiles() + "; this one holds "
                    + listing(directory));
        }
        String source = directory.toString();
        Dataset train = dataset(source, IdxReader.readImages(found[0]), labels(found[1]));
        Dataset test = dataset(source, IdxReader.readImages(found[2]), labels(found[3]));
        return split(train, test, source);
    }

    private static Path find(Path directory, String file) {
        for (String candidate : new String[] {file, file + ".gz"}) {
            Path path = directory.resolve(candidate);
            if (Files.isRegularFile(path)) {
                return path;
            }
        }
        return null;
    }

    private static String expectedFiles() {
        return "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, "
                + "each raw or gzipped (.gz)";
    }

    private static String listing(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            if (names.isEmpty()) {
                return "nothing";
            }
            int shown = Math.min(names.size(), 10);
            String list = String.join(", ", names.subList(0, shown));
            return names.size() > shown ? list + " and " + (names.size() - shown) + " more" : list;
        } catch (IOException e) {
            return "files that cannot be listed (" + e.getMessage() + ")";
        }
    }

    /** The labels of one file, with the name messages call it by. */
    private record Labels(String source, int[] values) {
    }

    private static Labels labels(Path path) {
        return new Labels(path.toString(), IdxReader.readLabels(path));
    }

    private static IdxReader.Images bundledImages(String file) {
        String name = file + ".gz";
        try (InputStream in = bundled(name)) {
            return IdxReader.readImages(BUNDLED_NAME + ": " + name, in);
        } catch (IOException e) {
            throw new NnException(BUNDLED_NAME + ": " + name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Labels bundledLabels(String file) {
        String name = file + ".gz";
        String source = BUNDLED_NAME + ": " + name;
        try (InputStream in = bundled(name)) {
            return new Labels(source, IdxReader.readLabels(source, in));
        } catch (IOException e) {
            throw new NnException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static InputStream bundled(String name) {
        InputStream in = Datasets.class.getResourceAsStream(BUNDLED_FASHION_MNIST + name);
        if (in == null) {
            throw new NnException(BUNDLED_NAME + ": " + BUNDLED_FASHION_MNIST + name + " is missing from the "
                    + "classpath; the nnlang runtime jar is incomplete (rebuild it, or use data = idx(\"dir\"))");
        }
        return in;
    }

    /** Pairs images with labels, checking that they agree, and scales the pixels to [0, 1]. */
    private static Dataset dataset(String source, IdxReader.Images images, Labels labels) {
        if (images.count() != labels.values().length) {
            throw new NnException(String.format(Locale.ROOT,
                    "%s holds %,d images but %s holds %,d labels; expected one label per image",
                    images.source(), images.count(), labels.source(), labels.values().length));
        }
        if (images.count() == 0) {
            throw new NnException(images.source() + ": holds no images; expected at least one sample");
        }
        int[] values = labels.values();
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= MNIST_CLASSES) {
                throw new NnException(String.format(Locale.ROOT,
                        "%s: label %d of sample %,d is out of range; expected a class from 0 to %d",
                        labels.source(), values[i], i, MNIST_CLASSES - 1));
            }
        }
        byte[] pixels = images.pixels();
        float[] scaled = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            // Division, not multiplication by 1/255, so the floats match torchvision's ToTensor() bit for bit.
            scaled[i] = (pixels[i] & 0xff) / 255f;
        }
        return new Dataset(source, scaled, values, images.count(), new int[] {1, images.rows(), images.cols()},
                MNIST_CLASSES);
    }

    private static TrainTestSplit split(Dataset train, Dataset test, String source) {
        int[] a = train.sampleShape();
        int[] b = test.sampleShape();
        if (a[1] != b[1] || a[2] != b[2]) {
            throw new NnException(String.format(Locale.ROOT,
                    "%s: the training images are %dx%d but the test images are %dx%d; expected the same size",
                    source, a[1], a[2], b[1], b[2]));
        }
        return new TrainTestSplit(train, test);
    }
}
