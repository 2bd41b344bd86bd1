// Stand-in for lib/entitlement-agent, which Elastic does not publish: Elasticsearch attaches this agent to
// itself and passes the name of its EntitlementInitialization class, whose initialize(Instrumentation) does
// the work (so the entitlement checks are Elasticsearch's own).
import java.lang.instrument.Instrumentation;

public class EsDevEntitlementAgent {
    public static void agentmain(String initClassName, Instrumentation inst) throws Exception {
        Class.forName(initClassName).getMethod("initialize", Instrumentation.class).invoke(null, inst);
    }
}
