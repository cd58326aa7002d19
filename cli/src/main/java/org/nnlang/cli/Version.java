package org.nnlang.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code nn --version}: nnlang's version (from the jar's Maven descriptor) and the Java running it. */
final class Version implements IVersionProvider {
    private static final String POM_PROPERTIES = "/META-INF/maven/org.nnlang/nnlang-cli/pom.properties";

    @Override
    public String[] getVersion() {
        return new String[] {
            "nn " + nnlangVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        };
    }

    /** The version Maven built, or {@code development build} when running from class folders (tests, an IDE). */
    static String nnlangVersion() {
        try (InputStream in = Version.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                if (version != null) {
                    return version;
                }
            }
        } catch (IOException e) {
            // Fall through: the version is a courtesy, never a reason to fail.
        }
        return "(development build)";
    }
}
