package dev.gatekeeper.install;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code gitaly hooks set} takes (GitLab 15.11 and later, where server hooks are no longer written into a
 * repository's folder by hand): a tar archive with a {@code custom_hooks/} folder at its root. Ours holds
 * {@code custom_hooks/pre-receive.d/gatekeeper} (the gate, which Gitaly runs with the other executables in that
 * folder, in name order, stopping at the first that fails), {@code custom_hooks/post-receive.d/gatekeeper} (the
 * recorder of what landed) and {@code custom_hooks/gatekeeper/policy.yaml}, which the
 * hook reads unless {@code $GATEKEEPER_POLICY} names another. Gitaly replaces a repository's whole
 * {@code custom_hooks/} with the archive's, so a repository that already has server hooks needs them in the archive
 * too ({@code gitaly hooks set} has no merge); the README says how.
 *
 * <p>Written as plain POSIX ustar (GNU tar, Go's archive/tar and busybox read it), files 0755/0644, owned by uid 0
 * (Gitaly extracts without owners).
 */
public final class GitalyTarball {
    public static final String HOOK_PATH = "custom_hooks/pre-receive.d/" + HookLayout.DROP_IN_NAME;
    public static final String POLICY_PATH = "custom_hooks/gatekeeper/policy.yaml";
    public static final String RECORDER_PATH = "custom_hooks/post-receive.d/" + HookLayout.DROP_IN_NAME;

    private GitalyTarball() {}

    /** The archive's bytes: the hook for {@code runtime}, and {@code policy}. */
    public static byte[] build(HookRuntime runtime, byte[] policy) throws IOException {
        String script = HookScript.render(runtime, HookScript.Hook.PRE_RECEIVE, null, "../gatekeeper/policy.yaml");
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry("custom_hooks/", "0755", null));
        entries.add(new Entry("custom_hooks/pre-receive.d/", "0755", null));
        entries.add(new Entry(HOOK_PATH, "0755", script.getBytes(StandardCharsets.UTF_8)));
        // the recorder of what landed (drift's provenance), beside the gate
        String recorder = HookScript.render(runtime, HookScript.Hook.POST_RECEIVE, null, "../gatekeeper/policy.yaml");
        entries.add(new Entry("custom_hooks/post-receive.d/", "0755", null));
        entries.add(new Entry(RECORDER_PATH, "0755", recorder.getBytes(StandardCharsets.UTF_8)));
        entries.add(new Entry("custom_hooks/gatekeeper/", "0755", null));
        entries.add(new Entry(POLICY_PATH, "0644", policy));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long mtime = Instant.now().getEpochSecond();
        for (Entry e : entries) {
            out.write(header(e, mtime));
            if (e.content != null) {
                out.write(e.content);
                int pad = (512 - e.content.length % 512) % 512;
                out.write(new byte[pad]);
            }
        }
        out.write(new byte[1024]); // two empty blocks end the archive
        return out.toByteArray();
    }

    /** Writes the archive to {@code file} atomically. */
    public static void write(Path file, HookRuntime runtime, byte[] policy) throws IOException {
        InstallFiles.writeAtomically(file.toAbsolutePath().normalize(), build(runtime, policy), InstallFiles.READABLE);
    }

    private record Entry(String name, String mode, byte[] content) {}

    private static byte[] header(Entry e, long mtime) throws IOException {
        byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
        if (name.length > 100) {
            throw new IOException("tar entry name too long: " + e.name);
        }
        byte[] h = new byte[512];
        System.arraycopy(name, 0, h, 0, name.length);
        octal(h, 100, 8, Integer.parseInt(e.mode, 8));
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, e.content == null ? 0 : e.content.length);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) (e.content == null ? '5' : '0');
        byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, h, 257, magic.length);
        byte[] owner = "root".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(owner, 0, h, 265, owner.length);
        System.arraycopy(owner, 0, h, 297, owner.length);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String chk = String.format("%06o", sum);
        System.arraycopy(chk.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int at, int width, long value) {
        String s = String.format("%0" + (width - 1) + "o", value);
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, at, width - 1);
        h[at + width - 1] = 0;
    }
}
