package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Snippet Generator's forms as Jenkins reads them: every Jelly file is well-formed XML (Jelly refuses anything
 * else at page load); each {@code field="x"} of a class's config.jelly is a real data-bound property of that class
 * (a parameter of its {@code @DataBoundConstructor} or a {@code @DataBoundSetter}, with a getter) and every property
 * is on the form; a repeatable list's entries are describables with a form of their own; every credentials field is
 * the Credentials plugin's drop-down and its descriptor has the drop-down's {@code doFill…Items} and the check's
 * {@code doCheck…}, with the parameter bindings Stapler needs (the job by {@code @AncestorInPath}, the values by
 * {@code @QueryParameter} under the names Stapler reads); a POST-only check is asked by POST.
 */
class FormsTest {
    static final Path RESOURCES = Path.of("src/main/resources");
    static final String FORM = "/lib/form";
    static final String CREDENTIALS = "/lib/credentials";

    static Document parse(Path jelly) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        try (InputStream in = Files.newInputStream(jelly)) {
            return b.parse(in);
        }
    }

    static Document form(Class<?> c) throws Exception {
        Path p = RESOURCES.resolve(c.getName().replace('.', '/')).resolve("config.jelly");
        assertTrue(Files.isRegularFile(p), p.toString());
        return parse(p);
    }

    static List<Element> elements(Document d, String namespace, String localName) {
        List<Element> out = new ArrayList<>();
        NodeList all = d.getElementsByTagNameNS(namespace, localName);
        for (int i = 0; i < all.getLength(); i++) {
            out.add((Element) all.item(i));
        }
        return out;
    }

    @Test
    void everyJellyFileIsWellFormedAndEscapesByDefault() throws Exception {
        List<Path> jellies;
        try (Stream<Path> s = Files.walk(RESOURCES)) {
            jellies = s.filter(p -> p.toString().endsWith(".jelly")).sorted().toList();
        }
        for (Path p : jellies) {
            Document d = parse(p); // throws on anything that is not well-formed
            if (!p.endsWith("index.jelly")) { // the plugin's description is an HTML fragment
                assertEquals("jelly:core", d.getDocumentElement().getNamespaceURI(), p + " is a j:jelly document");
            }
            assertTrue(Files.readString(p).startsWith("<?jelly escape-by-default='true'?>"), p + ": escaped output");
        }
        assertEquals(1 + StepClasses.DATA_BOUND.size(), jellies.size(), "index.jelly and one form per class");
    }

    @Test
    void eachFormNamesExactlyTheDataBoundPropertiesOfItsClass() throws Exception {
        for (Class<?> c : StepClasses.DATA_BOUND) {
            Document d = form(c);
            TreeSet<String> fields = new TreeSet<>();
            NodeList all = d.getElementsByTagName("*");
            for (int i = 0; i < all.getLength(); i++) {
                Element e = (Element) all.item(i);
                if (e.hasAttribute("field")) {
                    assertTrue(fields.add(e.getAttribute("field")), c.getSimpleName() + ": field "
                            + e.getAttribute("field") + " twice");
                }
            }
            TreeSet<String> properties = new TreeSet<>();
            for (PipelineModel.Param p : PipelineModel.parameters(c)) {
                properties.add(p.name());
                String cap = Character.toUpperCase(p.name().charAt(0)) + p.name().substring(1);
                assertTrue(hasMethod(c, "get" + cap) || hasMethod(c, "is" + cap),
                        c.getSimpleName() + "." + p.name() + " has a getter (the form shows the value)");
            }
            assertEquals(properties, fields, c.getSimpleName() + "/config.jelly");
        }
    }

    @Test
    void aRepeatableListHoldsDescribablesWithAFormOfTheirOwn() throws Exception {
        int lists = 0;
        for (Class<?> c : StepClasses.DATA_BOUND) {
            Document d = form(c);
            for (Element e : elements(d, FORM, "repeatableProperty")) {
                String field = e.getAttribute("field");
                PipelineModel.Param p = PipelineModel.parameters(c).stream().filter(x -> x.name().equals(field))
                        .findFirst().orElseThrow();
                assertEquals(List.class, PipelineModel.erasure(p.type()), c.getSimpleName() + "." + field);
                Class<?> entry = (Class<?>) ((ParameterizedType) p.type()).getActualTypeArguments()[0];
                assertTrue(StepClasses.DESCRIBABLES.contains(entry), entry + " is a describable with a descriptor");
                form(entry);
                assertEquals(1, elements(d, FORM, "repeatableDeleteButton").stream()
                        .filter(b -> isInside(b, e)).count(), c.getSimpleName() + "." + field + ": a delete button");
                lists++;
            }
        }
        assertEquals(6, lists, "probes, a probe's headers, the step's shared headers, checkouts, bares, githubRepos");
    }

    @Test
    void everyCredentialsFieldIsADropDownWithItsFillAndCheckMethods() throws Exception {
        Map<String, String> dropDowns = new TreeMap<>();
        for (Class<?> c : StepClasses.DATA_BOUND) {
            Document d = form(c);
            Set<String> selects = new TreeSet<>();
            for (Element s : elements(d, CREDENTIALS, "select")) {
                Element entry = (Element) s.getParentNode();
                selects.add(entry.getAttribute("field"));
                assertEquals("post", s.getAttribute("checkMethod"), c.getSimpleName() + ": its check is POST only");
            }
            Set<String> credentialFields = new TreeSet<>();
            PipelineModel.parameters(c).stream().map(PipelineModel.Param::name)
                    .filter(n -> n.endsWith("CredentialsId")).forEach(credentialFields::add);
            assertEquals(credentialFields, selects, c.getSimpleName() + ": every credentials id is a drop-down");
            Class<?> descriptor = StepClasses.descriptor(c).getClass();
            for (String field : selects) {
                String cap = Character.toUpperCase(field.charAt(0)) + field.substring(1);
                Method fill = descriptor.getMethod("doFill" + cap + "Items", Item.class, String.class);
                assertEquals(ListBoxModel.class, fill.getReturnType());
                assertWebMethod(fill, field);
                Method check = descriptor.getMethod("doCheck" + cap, Item.class, String.class);
                assertEquals(FormValidation.class, check.getReturnType());
                assertWebMethod(check, "value");
                dropDowns.put(c.getSimpleName() + "." + field, fill.getName());
            }
        }
        assertEquals(12, dropDowns.size(), dropDowns.toString());
    }

    /** Every doCheck/doFill names a real field of its class, and a POST-only check is asked by POST. */
    @Test
    void everyWebMethodNamesAFieldOfItsForm() throws Exception {
        int methods = 0;
        for (Class<?> c : StepClasses.DATA_BOUND) {
            Document d = form(c);
            Map<String, Element> controls = new TreeMap<>();
            NodeList all = d.getElementsByTagName("*");
            for (int i = 0; i < all.getLength(); i++) {
                Element e = (Element) all.item(i);
                if (e.hasAttribute("field") && e.getLocalName().equals("entry")) {
                    Element control = firstElementChild(e);
                    controls.put(e.getAttribute("field"), control);
                }
            }
            for (Method m : StepClasses.webMethods(c)) {
                String field = m.getName().startsWith("doCheck") ? m.getName().substring(7)
                        : m.getName().startsWith("doFill") && m.getName().endsWith("Items")
                        ? m.getName().substring(6, m.getName().length() - 5) : null;
                if (field == null) {
                    continue;
                }
                field = Character.toLowerCase(field.charAt(0)) + field.substring(1);
                Element control = controls.get(field);
                assertNotNull(control, c.getSimpleName() + ": " + m.getName() + " names no field of the form");
                if (m.getName().startsWith("doCheck") && m.isAnnotationPresent(POST.class)) {
                    assertEquals("post", control.getAttribute("checkMethod"),
                            c.getSimpleName() + "." + field + ": a POST-only check is asked by POST");
                }
                methods++;
            }
        }
        assertTrue(methods >= 28, methods + " web methods");
    }

    /** The Stapler bindings of a doFill/doCheck: the job and the query parameters, under the names Stapler reads. */
    private static void assertWebMethod(Method m, String valueName) {
        assertTrue(m.isAnnotationPresent(POST.class), m + ": POST only (it reads permissions)");
        Parameter[] ps = m.getParameters();
        assertTrue(ps[0].isAnnotationPresent(AncestorInPath.class), m + ": the job is @AncestorInPath");
        assertTrue(ps[1].isAnnotationPresent(QueryParameter.class), m + ": the value is a @QueryParameter");
        assertEquals("", ps[1].getAnnotation(QueryParameter.class).value());
        assertEquals(valueName, PipelineModel.reflectionNames(m)[1], m + ": the query parameter's name");
    }

    private static boolean hasMethod(Class<?> c, String name) {
        try {
            c.getMethod(name);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean isInside(Element e, Element ancestor) {
        for (org.w3c.dom.Node n = e.getParentNode(); n != null; n = n.getParentNode()) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }

    private static Element firstElementChild(Element e) {
        for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                return child;
            }
        }
        return e;
    }
}
