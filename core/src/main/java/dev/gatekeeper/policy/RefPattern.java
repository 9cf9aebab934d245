package dev.gatekeeper.policy;

import java.util.regex.Pattern;

/**
 * A ref glob: {@code *} matches within one path segment, {@code **} across segments, {@code ?} one character.
 * {@code refs/heads/release/*} protects {@code release/1.0} but not {@code release/1.0/hotfix}; write
 * {@code refs/heads/release/**} for both.
 */
public final class RefPattern {
    private final String glob;
    private final Pattern regex;

    private RefPattern(String glob, Pattern regex) {
        this.glob = glob;
        this.regex = regex;
    }

    /** @throws IllegalArgumentException when the glob is not a full ref name pattern */
    public static RefPattern of(String glob) {
        if (glob == null || !glob.startsWith("refs/") || glob.contains(" ") || glob.endsWith("/")) {
            throw new IllegalArgumentException("a ref pattern starts with 'refs/', has no spaces and no trailing '/'");
        }
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new RefPattern(glob, Pattern.compile(re.toString()));
    }

    public boolean matches(String refName) {
        return regex.matcher(refName).matches();
    }

    public String glob() {
        return glob;
    }

    @Override
    public String toString() {
        return glob;
    }
}
