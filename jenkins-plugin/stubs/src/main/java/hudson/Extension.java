package hudson;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import net.java.sezpoz.Indexable;

/**
 * Stub of Jenkins core's Extension (marks a class Jenkins discovers: here the descriptors). {@code @Indexable} as in
 * Jenkins: javac's sezpoz processor writes every annotated element into {@code META-INF/annotations/hudson.Extension},
 * the index Jenkins' ExtensionFinder loads with {@code Index.load(Extension.class, Object.class, loader)}.
 */
@Indexable
@Retention(RUNTIME)
@Target({TYPE, FIELD, METHOD})
@Documented
public @interface Extension {
    double ordinal() default 0;

    @Deprecated
    boolean optional() default false;
}
