package dev.gatekeeper.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Smart HTTP as a plain git server serves it: Debian's lighttpd on 127.0.0.1 running
 * {@code /usr/lib/git-core/git-http-backend} as a CGI program, as the repositories' account (so the hooks run as
 * it), for every repository under one folder ({@code GIT_PROJECT_ROOT}, {@code GIT_HTTP_EXPORT_ALL}). Every request
 * needs HTTP basic authentication (mod_auth, a plain user file), so git-http-backend and the hooks get the
 * authenticated user in {@code REMOTE_USER}, which nobody but the web server can set.
 *
 * <p>The backend is mounted at the root: {@code http://USER:PASSWORD@127.0.0.1:PORT/app.git}, so the URL's path is
 * the path below the project root.
 */
final class SmartHttpServer implements AutoCloseable {
    static final Path LIGHTTPD = Path.of("/usr/sbin/lighttpd");
    static final Path MODULES = Path.of("/usr/lib/lighttpd");
    static final Path BACKEND = Path.of("/usr/lib/git-core/git-http-backend");

    private final ServerProcess process;

    private SmartHttpServer(ServerProcess process) {
        this.process = process;
    }

    /**
     * Starts lighttpd as {@code account}, serving {@code projectRoot}, with {@code users} (name to password) as the
     * only ones it lets in; its files go to {@code dir} (created, then made the account's).
     */
    static SmartHttpServer start(Path dir, Users.Account account, Path projectRoot, Map<String, String> users) {
        Tools.requireProgram(LIGHTTPD, "lighttpd");
        Tools.requireProgram(BACKEND, "git");
        try {
            Files.createDirectories(dir.resolve("www"));
            Files.createDirectories(dir.resolve("upload"));
            Users.openUp(dir); // the account must reach its config through JUnit's 0700 temp folders
            Path userFile = dir.resolve("users");
            Files.writeString(userFile, users.entrySet().stream().map(u -> u.getKey() + ":" + u.getValue() + "\n")
                    .collect(Collectors.joining()), StandardCharsets.UTF_8);
            Path config = dir.resolve("lighttpd.conf");
            Path errorLog = dir.resolve("error.log");
            Files.writeString(errorLog, "");
            account.chownR(dir);
            Map<String, String> env = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL", "C.UTF-8");
            ServerProcess p = ServerProcess.start("lighttpd", dir, env, port -> {
                write(config, String.join("\n",
                        "server.modules = ( \"mod_alias\", \"mod_auth\", \"mod_authn_file\", \"mod_setenv\","
                                + " \"mod_cgi\" )",
                        "server.module-directory = \"" + MODULES + "\"",
                        "server.bind = \"127.0.0.1\"",
                        "server.port = " + port,
                        "server.document-root = \"" + dir.resolve("www") + "\"",
                        "server.upload-dirs = ( \"" + dir.resolve("upload") + "\" )",
                        "server.errorlog = \"" + errorLog + "\"",
                        "auth.backend = \"plain\"",
                        "auth.backend.plain.userfile = \"" + userFile + "\"",
                        "auth.require = ( \"/\" => ( \"method\" => \"basic\", \"realm\" => \"git\","
                                + " \"require\" => \"valid-user\" ) )",
                        // every path is the backend's: /app.git/info/refs runs it with PATH_INFO=/app.git/info/refs
                        "alias.url = ( \"/\" => \"" + BACKEND + "/\" )",
                        "cgi.assign = ( \"\" => \"\" )",
                        "setenv.set-environment = ( \"GIT_PROJECT_ROOT\" => \"" + projectRoot + "\","
                                + " \"GIT_HTTP_EXPORT_ALL\" => \"1\" )",
                        ""));
                List<String> cmd = new ArrayList<>(account.runAs());
                cmd.addAll(List.of(LIGHTTPD.toString(), "-D", "-f", config.toString()));
                return cmd;
            });
            return new SmartHttpServer(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://USER:PASSWORD@127.0.0.1:PORT/PATH}, PATH below the project root. */
    String url(String user, String password, String pathUnderRoot) {
        return "http://" + user + ":" + password + "@127.0.0.1:" + process.port() + "/" + pathUnderRoot;
    }

    /** The same without credentials. */
    String url(String pathUnderRoot) {
        return "http://127.0.0.1:" + process.port() + "/" + pathUnderRoot;
    }

    int port() {
        return process.port();
    }

    String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
