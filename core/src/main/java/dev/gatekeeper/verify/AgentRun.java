package dev.gatekeeper.verify;

import java.time.Duration;

/**
 * How a wrapped agent command ended.
 *
 * @param program the program that ran (its first word only: the arguments may hold secrets)
 */
public record AgentRun(String program, int exitCode, Duration duration) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
