package dev.gatekeeper.cli;

import dev.gatekeeper.watch.MonitoredRun;

/**
 * A command that tells the watcher what its run found (findings by kind, the event logs it wrote or judged), once
 * {@code call()} returned. Commands without it are still recorded, with their exit code only.
 */
interface ReportsRun {
    MonitoredRun.Facts runFacts();
}
