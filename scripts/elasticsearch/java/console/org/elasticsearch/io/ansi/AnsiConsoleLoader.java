// Stand-in for lib/tools/ansi-console (not published): no console, so the server logs in plain text.
package org.elasticsearch.io.ansi;

public class AnsiConsoleLoader implements java.util.function.Supplier<Object> {
    public Object get() {
        return null;
    }
}
