package dev.gatekeeper.action;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The runner builds the Dockerfile with the action's folder as the whole build context. After {@code package},
 * every file the Dockerfile copies must be inside that folder, let through by .dockerignore, and be what the build
 * made (the CLI distribution, the action's jar). The container test builds the image for real; this check runs
 * wherever Maven does.
 */
class DockerContextIT {
    private static final Path ACTION = Path.of("").toAbsolutePath();

    @Test
    void everyCopySourceIsStagedInsideTheActionFolderAndNotIgnored() throws IOException {
        List<String> sources = copySources();
        assertFalse(sources.isEmpty(), "the Dockerfile copies the distribution");
        List<String> allowed = new ArrayList<>();
        for (String line : Files.readAllLines(ACTION.resolve(".dockerignore"))) {
            if (line.startsWith("!")) {
                allowed.add(line.substring(1).strip());
            }
        }
        for (String src : sources) {
            assertFalse(src.startsWith("/") || src.contains(".."), src + " must be inside the context");
            assertTrue(Files.isRegularFile(ACTION.resolve(src)) && Files.size(ACTION.resolve(src)) > 0,
                    src + " must be staged by the build");
            assertTrue(allowed.contains(src), src + " must be let through by .dockerignore " + allowed);
        }
    }

    @Test
    void theStagedFilesAreWhatTheBuildMade() throws IOException {
        String version = System.getProperty("gatekeeper.version");
        assertNotNull(version, "-Dgatekeeper.version (set by the module's failsafe configuration)");
        assertArrayEquals(Files.readAllBytes(ACTION.resolve("../cli/target/gatekeeper-" + version + ".tar.gz")),
                Files.readAllBytes(ACTION.resolve("dist/gatekeeper.tar.gz")), "the CLI distribution of this build");
        try (JarFile jar = new JarFile(ACTION.resolve("dist/gatekeeper-github-action.jar").toFile())) {
            assertNotNull(jar.getEntry("dev/gatekeeper/action/ActionMain.class"), "the action's entry point");
        }
    }

    private static List<String> copySources() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(ACTION.resolve("Dockerfile"))) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 3 && (words[0].equals("COPY") || words[0].equals("ADD"))) {
                for (int i = 1; i < words.length - 1; i++) {
                    if (!words[i].startsWith("--")) {
                        out.add(words[i]);
                    }
                }
            }
        }
        return out;
    }
}
