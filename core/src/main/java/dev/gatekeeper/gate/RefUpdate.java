package dev.gatekeeper.gate;

/** One {@code <old> <new> <ref>} line of a push. Ids are full hex object ids (SHA-1 or SHA-256). */
public record RefUpdate(String oldId, String newId, String refName) {

    public boolean isCreate() {
        return isZero(oldId);
    }

    public boolean isDelete() {
        return isZero(newId);
    }

    static boolean isZero(String id) {
        for (int i = 0; i < id.length(); i++) {
            if (id.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return oldId + " " + newId + " " + refName;
    }
}
