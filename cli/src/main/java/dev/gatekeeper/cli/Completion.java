package dev.gatekeeper.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes the shell completion script the distribution ships ({@code completion/gatekeeper.bash}, for bash and for
 * zsh through its bashcompinit): picocli's generator over the whole command line as {@code bin/gatekeeper} runs
 * it, with verify-push's options, which its own lean parser owns, taken from its documented usage. Run by the build
 * ({@code cli/pom.xml}, package phase), never at run time.
 */
public final class Completion {
    private Completion() {}

    /** @param args the file to write */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Completion OUTPUT-FILE");
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, script(), StandardCharsets.UTF_8);
    }

    /** The script: a function {@code _complete_gatekeeper} and its {@code complete} line. */
    static String script() {
        CommandLine cl = Main.commandLine();
        CommandLine verifyPush = cl.getSubcommands().get("verify-push");
        cl.getCommandSpec().removeSubcommand("verify-push");
        cl.addSubcommand("verify-push", new CommandLine(verifyPushSpec(verifyPush.getCommandSpec().usageMessage()
                .description())));
        String script = AutoComplete.bash("gatekeeper", cl);
        int firstLine = script.indexOf('\n') + 1;
        return script.substring(0, firstLine) + HEADER + script.substring(firstLine);
    }

    static final String HEADER = String.join("\n",
            "#",
            "# Gatekeeper's shell completion for bash and zsh, made by the build with picocli's generator",
            "# (dev.gatekeeper.cli.Completion); it completes every command, option and fixed value, verify-push's",
            "# included. Turn it on:",
            "#   bash: . /path/to/gatekeeper/completion/gatekeeper.bash          (in ~/.bashrc; the .deb installs it",
            "#         for bash-completion, as /usr/share/bash-completion/completions/gatekeeper)",
            "#   zsh:  autoload -U +X compinit && compinit",
            "#         autoload -U +X bashcompinit && bashcompinit",
            "#         . /path/to/gatekeeper/completion/gatekeeper.bash          (in ~/.zshrc)",
            "");

    /** verify-push's options from its usage text: flags, options with a value (fixed words where it has them). */
    static CommandSpec verifyPushSpec(String[] description) {
        CommandSpec spec = CommandSpec.create().name("verify-push");
        spec.usageMessage().description(description);
        for (VerifyPushMain.Documented o : VerifyPushMain.documented()) {
            OptionSpec.Builder b = OptionSpec.builder(o.names().toArray(String[]::new));
            if (o.label() == null) {
                b.arity("0").type(boolean.class);
            } else {
                b.arity("1").type(String.class).paramLabel(o.label());
                if (o.label().matches("[a-z]+(\\|[a-z]+)+")) { // --via auto|git|github
                    b.completionCandidates(Arrays.asList(o.label().split("\\|")));
                } else if (o.label().matches("FILE|DIR")) {
                    b.type(Path.class); // picocli completes paths for File/Path options
                }
            }
            spec.addOption(b.build());
        }
        spec.addPositional(PositionalParamSpec.builder().arity("0..*").paramLabel("COMMAND").type(String.class)
                .build()); // wrap mode: the agent's command after --
        return spec;
    }
}
