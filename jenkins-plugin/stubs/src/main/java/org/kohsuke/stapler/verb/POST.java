package org.kohsuke.stapler.verb;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** Stub of Stapler's POST: the web method answers POST requests only (a form check that reads permissions). */
@Target(METHOD)
@Retention(RUNTIME)
@Documented
public @interface POST {
}
