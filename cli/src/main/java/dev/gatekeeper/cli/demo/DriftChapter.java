package dev.gatekeeper.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Chapter 4: drift. A "production" checkout deployed by the pipeline gets a hand edit; someone with a shell on the
 * git server writes a commit straight into the bare repository, around the gate. The hourly drift scan (run here
 * once, through the distribution's launcher as cron would) finds both (exit 3); {@code --heal} saves the edit as a
 * patch and a {@code refs/drift/…} commit, then restores the pipeline's commit.
 */
final class DriftChapter {
    private final DemoShell sh;
    private final DemoSetup setup;
    private final Path gatekeeper;

    /** @param gatekeeper the distribution's bin/gatekeeper */
    DriftChapter(DemoShell sh, DemoSetup setup, Path gatekeeper) {
        this.sh = sh;
        this.setup = setup;
        this.gatekeeper = gatekeeper;
    }

    void play() throws IOException, InterruptedException {
        sh.say("== Chapter 4: drift ==");
        sh.say("  The pipeline deploys main to a production checkout. Everything else that changes production or");
        sh.say("  the server's protected branches went around the pipeline: the hourly drift scan finds it.");
        sh.say("");
        Path prod = setup.clone("production");
        String deployed = sh.exec(prod, Map.of(), List.of("git", "rev-parse", "HEAD")).output().strip();
        Path state = setup.root().resolve("drift-state/drift-state.json");
        Path server = setup.serverRepo();

        sh.say("1. An operator fixes something by hand on the production host.");
        Path edited = firstTrackedFile(prod);
        sh.run("operator", prod, Map.of(), List.of("sh", "-c", "echo \"hand edit at 3am\" >> " + edited.getFileName()
                + " && echo debug=true > local-override.conf"));
        sh.say("2. Someone with a shell on the git server writes a commit straight into the bare repository: no");
        sh.say("   push, so no hook ever ran.");
        String tree = sh.exec(server, Map.of(), List.of("git", "rev-parse", "main^{tree}")).output().strip();
        String bypass = sh.exec(server, Map.of(), List.of("git", "commit-tree", tree, "-p", "main", "-m",
                "quick fix, straight on the server")).output().strip();
        sh.run("admin", server, Map.of(), List.of("git", "update-ref", "refs/heads/main", bypass));

        sh.say("3. The hourly scan (cron runs exactly this; quiet when all is clean):");
        DemoShell.Run r = scan(state, List.of("--checkout", prod + "@main", "--bare", server.toString()),
                "gatekeeper drift scan --checkout production@main --bare server/app.git");
        sh.expect(r.exitCode() == 3 && r.output().contains("dirty") && r.output().contains("bypass refs/heads/main@"
                + bypass.substring(0, 10)), "found: exit 3, the hand edit and the bypass commit " + bypass.substring(0, 10));

        sh.say("4. Heal the production checkout: save first, then restore the pipeline's commit.");
        r = scan(state, List.of("--checkout", prod + "@main", "--heal"),
                "gatekeeper drift scan --checkout production@main --heal");
        String head = sh.exec(prod, Map.of(), List.of("git", "rev-parse", "HEAD")).output().strip();
        String status = sh.exec(prod, Map.of(), List.of("git", "status", "--porcelain")).output().strip();
        List<Path> patches = list(state.resolveSibling("patches"));
        sh.expect(head.equals(deployed) && status.isEmpty() && patches.size() == 1
                        && r.output().contains("refs/drift/"),
                "healed: production is back at " + deployed.substring(0, 10) + ", clean; the edit is in "
                        + (patches.isEmpty() ? "(no patch!)" : setup.root().relativize(patches.get(0))));
        sh.say("   Re-apply it any time: git -C production apply " + (patches.isEmpty() ? "PATCH" : patches.get(0)));
        sh.say("   (or look at the saved commit: git -C production show --stat refs/drift/…)");
        sh.say("   The bypass on the server is for a human: the scan keeps reporting it, and alerts about it");
        sh.say("   (--alert-webhook-env) once, then daily, then \"resolved\".");
        sh.say("");
    }

    private DemoShell.Run scan(Path state, List<String> args, String shown) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(gatekeeper.toString(), "drift", "scan", "--state",
                state.toString()));
        cmd.addAll(args);
        return sh.run("cron", setup.root(), Map.of("GATEKEEPER_JAVA", java), cmd, shown);
    }

    private static Path firstTrackedFile(Path clone) throws IOException {
        try (Stream<Path> s = Files.list(clone)) {
            return s.filter(Files::isRegularFile).sorted().findFirst()
                    .orElseGet(() -> clone.resolve("README.md"));
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
