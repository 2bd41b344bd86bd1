// The startup arguments of one node, produced with Elasticsearch's own code: its settings loader reads
// elasticsearch.yml (full YAML, placeholders), KeyStoreWrapper creates or loads the node's keystore the way
// the server CLI does, and ServerArgs#writeTo serialises what the server reads on stdin at startup.
// The server CLI that normally does this (and computes the JVM options) is not published to Maven Central.
//
//   java -cp 'lib/*:esdev-launcher.jar' esdev.launcher.EsDevLauncher server-args HOME CONFIG_DIR PID_FILE > serverargs.bin
//   java -cp ... esdev.launcher.EsDevLauncher check-runtime     exits 1 naming a JDK module the server needs but lacks
package esdev.launcher;

import org.elasticsearch.bootstrap.ServerArgs;
import org.elasticsearch.common.io.stream.OutputStreamStreamOutput;
import org.elasticsearch.common.settings.KeyStoreWrapper;
import org.elasticsearch.common.settings.SecureString;
import org.elasticsearch.common.settings.Settings;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;

public final class EsDevLauncher {
    // Modules that the server's own module descriptors require (entitlement: jdk.attach, jdk.jdi, jdk.jlink)
    // or that it adds at startup (jdk.net, jdk.management.agent): a JRE-only runtime cannot start it.
    private static final List<String> REQUIRED_MODULES = List.of(
        "jdk.attach", "jdk.jdi", "jdk.jlink", "jdk.net", "jdk.management.agent"
    );

    private EsDevLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("server-args")) {
            serverArgs(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
        } else if (args.length == 1 && args[0].equals("check-runtime")) {
            checkRuntime();
        } else {
            System.err.println("usage: EsDevLauncher server-args HOME CONFIG_DIR PID_FILE | check-runtime");
            System.exit(2);
        }
    }

    private static void serverArgs(Path home, Path configDir, Path pidFile) throws Exception {
        Settings nodeSettings = Settings.builder()
            .loadFromPath(configDir.resolve("elasticsearch.yml"))
            .replacePropertyPlaceholders()
            .put("path.home", home.toString())
            .build();
        String logs = nodeSettings.get("path.logs");
        if (logs == null) {
            throw new IllegalArgumentException("elasticsearch.yml sets no path.logs");
        }
        // An unprotected keystore (empty password), created with its bootstrap seed on the first start.
        KeyStoreWrapper keystore = KeyStoreWrapper.bootstrap(configDir, () -> new SecureString(new char[0]));
        ServerArgs serverArgs = new ServerArgs(true, false, pidFile, keystore, nodeSettings, configDir, Path.of(logs));
        OutputStream out = new BufferedOutputStream(System.out);
        try (OutputStreamStreamOutput stream = new OutputStreamStreamOutput(out)) {
            serverArgs.writeTo(stream);
        }
    }

    private static void checkRuntime() {
        ModuleFinder system = ModuleFinder.ofSystem();
        for (String module : REQUIRED_MODULES) {
            if (system.find(module).isEmpty()) {
                System.err.println("this Java runtime has no " + module + " module: use a full JDK 21+");
                System.exit(1);
            }
        }
        System.out.println(system.find("jdk.incubator.vector").isPresent() ? "vector" : "");
    }
}
