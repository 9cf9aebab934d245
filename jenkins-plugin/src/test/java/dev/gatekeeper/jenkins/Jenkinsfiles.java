package dev.gatekeeper.jenkins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.builder.AstBuilder;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.GStringExpression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.control.CompilePhase;

/**
 * The step calls of a Jenkinsfile, read with Pipeline's own parser (Groovy 2.4, as Jenkins core bundles it) into the
 * arguments Groovy hands the step: named arguments as one map first, a positional value, {@link #BLOCK} for a
 * closure. Literals are taken as written; a variable must be given a value by the caller (what the Jenkinsfile
 * would hold at run time), so an example that grows a new variable fails the test until it is given one.
 */
final class Jenkinsfiles {
    /** Stands for the closure of a block step. */
    static final Object BLOCK = new Object() {
        @Override
        public String toString() {
            return "{ … }";
        }
    };

    record Call(String function, int line, List<Object> arguments, String source) {}

    private Jenkinsfiles() {}

    static List<Call> calls(String groovy, Set<String> functions, Map<String, Object> variables, String source) {
        List<ASTNode> nodes = new AstBuilder().buildFromString(CompilePhase.CONVERSION, false, groovy);
        List<Call> out = new ArrayList<>();
        CodeVisitorSupport visitor = new CodeVisitorSupport() {
            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                String name = call.getMethodAsString();
                if (name != null && functions.contains(name)) {
                    List<Object> args = new ArrayList<>();
                    Expression a = call.getArguments();
                    List<Expression> list = a instanceof TupleExpression t ? t.getExpressions() : List.of(a);
                    for (Expression e : list) {
                        args.add(value(e, variables, source, call.getLineNumber()));
                    }
                    out.add(new Call(name, call.getLineNumber(), args, source));
                }
                super.visitMethodCallExpression(call);
            }
        };
        for (ASTNode node : nodes) {
            if (node instanceof BlockStatement b) {
                b.visit(visitor);
            } else if (node instanceof ClassNode c) {
                for (MethodNode m : c.getMethods()) {
                    if (m.getCode() != null && !m.getName().equals("main") && !m.getName().equals("run")) {
                        m.getCode().visit(visitor);
                    }
                }
            }
        }
        return out;
    }

    private static Object value(Expression e, Map<String, Object> variables, String source, int line) {
        if (e instanceof ClosureExpression) {
            return BLOCK;
        }
        if (e instanceof ConstantExpression c) {
            return c.getValue();
        }
        if (e instanceof ListExpression l) {
            List<Object> r = new ArrayList<>();
            l.getExpressions().forEach(x -> r.add(value(x, variables, source, line)));
            return r;
        }
        if (e instanceof MapExpression m) {
            Map<Object, Object> r = new LinkedHashMap<>();
            for (MapEntryExpression entry : m.getMapEntryExpressions()) {
                r.put(value(entry.getKeyExpression(), variables, source, line),
                        value(entry.getValueExpression(), variables, source, line));
            }
            return r;
        }
        if (e instanceof VariableExpression v) {
            if (!variables.containsKey(v.getName())) {
                throw new AssertionError(source + ":" + line + ": give the variable '" + v.getName()
                        + "' a value this test can bind (what the Jenkinsfile holds at run time)");
            }
            return variables.get(v.getName());
        }
        if (e instanceof GStringExpression g) {
            StringBuilder b = new StringBuilder();
            List<ConstantExpression> strings = g.getStrings();
            List<Expression> values = g.getValues();
            for (int i = 0; i < strings.size(); i++) {
                b.append(strings.get(i).getValue());
                if (i < values.size()) {
                    b.append(value(values.get(i), variables, source, line));
                }
            }
            return b.toString();
        }
        throw new AssertionError(source + ":" + line + ": an argument this test cannot evaluate: " + e.getText());
    }
}
