package org.jenkinsci.remoting;

import java.io.Serializable;

/** Stub of remoting's SerializableOnlyOverRemoting marker. */
public interface SerializableOnlyOverRemoting extends Serializable {
}
