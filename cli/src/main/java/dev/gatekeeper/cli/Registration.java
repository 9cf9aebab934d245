package dev.gatekeeper.cli;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.install.HookInstaller;
import dev.gatekeeper.install.HookRegistry;
import dev.gatekeeper.install.HookUninstaller;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the installation's hook registry ({@link Installation#registry()}) in step with {@code hooks install} and
 * {@code hooks uninstall}. Only a packaged installation has one (the Debian package); the plain tarball has none
 * and nothing happens.
 */
final class Registration {
    private final Optional<HookRegistry> registry;

    private Registration(Optional<HookRegistry> registry) {
        this.registry = registry;
    }

    /**
     * The installation's registry, if it has one. A registry link to a folder that is gone is said loudly once:
     * the repositories installed now are not recorded, so removing the package would not uninstall their hooks.
     */
    static Registration open(PrintWriter err) throws GatekeeperException {
        if (Installation.registryBroken()) {
            err.println("gatekeeper: WARNING: " + Installation.home().resolve(Installation.REGISTRY)
                    + " links to a folder that is gone: the repositories below are not recorded, so removing the"
                    + " package will not uninstall their hooks (reinstall the package to recreate it)");
        }
        return new Registration(Installation.registry());
    }

    /**
     * Records a repository that now has hooks. One that cannot be recorded keeps its (working) hook, but removing
     * the package would leave that hook refusing every push, so it is said loudly, with what to do.
     */
    void record(HookInstaller.Result r, PrintWriter out, PrintWriter err) {
        if (registry.isEmpty() || !r.ok()) {
            return;
        }
        try {
            registry.get().record(r.gitDir());
            out.println("  recorded in " + registry.get().dir() + " (removing the package uninstalls it)");
        } catch (IOException | RuntimeException e) {
            err.println("gatekeeper: WARNING: " + r.gitDir() + " is not recorded in " + registry.get().dir()
                    + " (" + e.getMessage() + "): removing the package will not uninstall its hook, which"
                    + " would then refuse every push; run 'gatekeeper hooks uninstall " + r.gitDir()
                    + "' before removing the package");
        }
    }

    /** Forgets every repository that no longer has our hooks; an entry that cannot be removed is harmless. */
    void forgetRemoved(List<HookUninstaller.Result> results) {
        if (registry.isEmpty()) {
            return;
        }
        for (HookUninstaller.Result r : results) {
            if (!r.ok()) {
                continue;
            }
            try {
                registry.get().forget(r.gitDir());
            } catch (IOException | RuntimeException e) {
                // someone else's entry in the sticky folder: the package's prerm skips repositories without hooks
            }
        }
    }
}
