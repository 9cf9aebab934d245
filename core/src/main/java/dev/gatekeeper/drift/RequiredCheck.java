package dev.gatekeeper.drift;

/**
 * A status check a protected branch requires, and where it must come from. GitHub records the source as the
 * GitHub App that must set the check: classic protection's {@code checks[].app_id}, a ruleset's
 * {@code required_status_checks[].integration_id}; no app (or {@code -1}) means any source may set it.
 *
 * @param context the check's name
 * @param appId   the app that must set it, or null for any source
 */
public record RequiredCheck(String context, Long appId) {
    public RequiredCheck {
        if (context == null || context.isBlank()) {
            throw new IllegalArgumentException("a required check needs a name");
        }
        appId = appId == null || appId < 0 ? null : appId;
    }

    /** Any source. */
    public static RequiredCheck named(String context) {
        return new RequiredCheck(context, null);
    }

    /** "required check 'build'" or "required check 'build' from app 15368". */
    public String describe() {
        return "required check '" + context + "'" + (appId == null ? "" : " from app " + appId);
    }
}
