package wasched.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import wasched.server.config.Settings;
import wasched.server.config.SettingsLoader;

/**
 * Checks the deployment files under {@code deploy/} against the server in this module: there is no
 * container runtime at build time, so the Dockerfile, compose file, Kubernetes manifests and systemd
 * unit are parsed and their security settings, ports, jar name and environment variable names are
 * compared with what the server actually reads and listens on.
 */
class DeployFilesTest {

    private static final Pattern WASCHED_NAME = Pattern.compile("\\bWASCHED_[A-Z0-9_]*[A-Z0-9]\\b");
    private static final Pattern LOADER_LITERAL = Pattern.compile("\"(WASCHED_[A-Z0-9_]+)\"");
    private static final Pattern LOADER_SECRET =
            Pattern.compile("\\bsecret\\(\\s*\"[^\"]*\"\\s*,\\s*\"(WASCHED_[A-Z0-9_]+)\"\\s*\\)");
    /** Names whose values would be secret if written inline. */
    private static final Pattern SENSITIVE_NAME = Pattern.compile(
            "(?i)(?!.*(name|ref)$)(.*(password|passwd|secret|token|api_?key|private_?key).*|tls\\.key|.*\\.jwk|keyring\\.json)");
    private static final String PLACEHOLDER = "REPLACE_ME";

    private static Path root;
    private static Path deploy;
    private static Set<String> knownNames;
    private static Settings defaults;
    private static String finalName;
    private static String mainClass;

    @BeforeAll
    static void locate() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("deploy")) && Files.isRegularFile(dir.resolve("server/pom.xml")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root with deploy/ and server/pom.xml above %s", Path.of("").toAbsolutePath())
                .isNotNull();
        root = dir;
        deploy = root.resolve("deploy");
        knownNames = loaderNames(Files.readString(
                root.resolve("server/src/main/java/wasched/server/config/SettingsLoader.java")));
        defaults = SettingsLoader.load(Map.of());
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(root.resolve("server/pom.xml").toFile());
        finalName = text(pom.getDocumentElement(), "build", "finalName");
        mainClass = pom.getElementsByTagName("mainClass").item(0).getTextContent().trim();
    }

    // ------------------------------------------------------------------ environment variable names

    @Test
    void settings_loader_names_are_parsed_including_file_variants_of_secrets() {
        assertThat(knownNames).contains("WASCHED_STATE_DIR", "WASCHED_DB_URL", "WASCHED_TLS_CERT_FILE",
                "WASCHED_DB_PASSWORD", "WASCHED_DB_PASSWORD_FILE", "WASCHED_WHATSAPP_ACCESS_TOKEN_FILE",
                "WASCHED_WHATSAPP_APP_SECRET_FILE", "WASCHED_WHATSAPP_VERIFY_TOKEN_FILE");
        assertThat(knownNames).as("only secrets get a _FILE variant").doesNotContain("WASCHED_DB_URL_FILE",
                "WASCHED_GRPC_PORT_FILE");
    }

    @Test
    void name_check_catches_a_misspelled_variable() {
        assertThat(unknownNames("WASCHED_DB_PASSWROD_FILE=/x\nWASCHED_DB_URL=jdbc:postgresql://h/db"))
                .containsExactly("WASCHED_DB_PASSWROD_FILE");
    }

    @Test
    void every_wasched_variable_in_every_deploy_file_is_read_by_the_settings_loader() throws IOException {
        List<Path> files = deployFiles();
        assertThat(files).extracting(p -> deploy.relativize(p).toString().replace('\\', '/'))
                .contains("Dockerfile", "compose.yaml", "k8s/deployment.yaml", "systemd/wasched.service",
                        "systemd/wasched.env.example");
        Map<String, Set<String>> unknown = new LinkedHashMap<>();
        for (Path f : files) {
            Set<String> bad = unknownNames(Files.readString(f));
            if (!bad.isEmpty()) {
                unknown.put(deploy.relativize(f).toString(), bad);
            }
        }
        assertThat(unknown).as("WASCHED_* names not read by SettingsLoader").isEmpty();
    }

    // ------------------------------------------------------------------ Dockerfile

    @Test
    void dockerfile_builds_with_maven_on_jdk_21_and_runs_on_a_pinned_jre_21_or_newer() throws IOException {
        List<List<Instruction>> stages = dockerStages();
        assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
        List<Instruction> build = stages.get(0);
        assertThat(build.get(0).args()).startsWith("maven:3.9-eclipse-temurin-21");
        assertThat(build).filteredOn(i -> i.keyword().equals("RUN"))
                .anySatisfy(i -> assertThat(i.args()).contains("mvn -B -q package -DskipTests"));

        String runtimeImage = runtimeStage().get(0).args().split("\\s+")[0];
        Matcher m = Pattern.compile("eclipse-temurin:(\\d+)[\\w.+-]*-jre\\b.*").matcher(runtimeImage);
        assertThat(m.matches()).as("runtime image %s is an eclipse-temurin JRE with a tag", runtimeImage).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isGreaterThanOrEqualTo(21);
        assertThat(runtimeImage).doesNotContain(":latest");
    }

    @Test
    void dockerfile_runs_as_a_numeric_non_root_user_set_before_the_entrypoint() throws IOException {
        List<Instruction> runtime = runtimeStage();
        int entry = indexOf(runtime, "ENTRYPOINT");
        List<Instruction> users = runtime.stream().filter(i -> i.keyword().equals("USER")).toList();
        assertThat(users).isNotEmpty();
        Instruction last = users.get(users.size() - 1);
        assertThat(runtime.indexOf(last)).isLessThan(entry);
        String uid = last.args().split(":")[0];
        assertThat(uid).matches("\\d+");
        assertThat(Integer.parseInt(uid)).isGreaterThanOrEqualTo(1000);
        assertThat(dockerUid()).isEqualTo(10001);
    }

    @Test
    void dockerfile_exposes_exactly_the_servers_listener_ports() throws IOException {
        Set<Integer> exposed = runtimeStage().stream().filter(i -> i.keyword().equals("EXPOSE"))
                .flatMap(i -> Arrays.stream(i.args().split("\\s+")))
                .map(p -> Integer.parseInt(p.replace("/tcp", "")))
                .collect(Collectors.toSet());
        assertThat(exposed).containsExactlyInAnyOrderElementsOf(serverPorts());
    }

    @Test
    void dockerfile_entrypoint_runs_the_jar_named_by_the_pom_and_its_main_class_exists() throws Exception {
        List<Instruction> runtime = runtimeStage();
        Instruction entry = runtime.get(indexOf(runtime, "ENTRYPOINT"));
        List<String> argv = execForm(entry.args());
        assertThat(argv.get(0)).isEqualTo("java");
        int jar = argv.indexOf("-jar");
        assertThat(jar).isPositive();
        assertThat(argv.get(jar + 1)).isEqualTo("/app/" + finalName + ".jar");
        assertThat(finalName).isEqualTo("wasched-server");

        List<String> copies = runtime.stream().filter(i -> i.keyword().equals("COPY")).map(Instruction::args).toList();
        assertThat(copies).anySatisfy(c -> assertThat(c).contains("server/target/" + finalName + ".jar")
                .contains("/app/" + finalName + ".jar"));
        assertThat(copies).as("Class-Path lib/ jars next to the jar")
                .anySatisfy(c -> assertThat(c).contains("server/target/lib/").contains("/app/lib/"));
        assertThat(copies).allSatisfy(c -> assertThat(c).startsWith("--from=").doesNotContain("secret"));

        assertThat(mainClass).isEqualTo("wasched.server.Main");
        Class<?> main = Class.forName(mainClass, false, getClass().getClassLoader());
        Method m = main.getMethod("main", String[].class);
        assertThat(Modifier.isStatic(m.getModifiers())).isTrue();
    }

    @Test
    void dockerfile_sets_the_state_dir_and_admin_host_and_health_checks_the_admin_port() throws IOException {
        List<Instruction> runtime = runtimeStage();
        Map<String, String> env = new LinkedHashMap<>();
        runtime.stream().filter(i -> i.keyword().equals("ENV")).forEach(i -> {
            for (String pair : i.args().split("\\s+")) {
                String[] kv = pair.split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        });
        assertThat(env).containsEntry("WASCHED_STATE_DIR", "/var/lib/wasched").containsEntry("WASCHED_ADMIN_HOST",
                "0.0.0.0");
        assertThat(runtime).filteredOn(i -> i.keyword().equals("WORKDIR")).extracting(Instruction::args)
                .containsExactly("/app");

        Instruction health = runtime.get(indexOf(runtime, "HEALTHCHECK"));
        assertThat(health.args()).contains("http://127.0.0.1:" + defaults.admin().port() + "/health");
        String tool = execForm(health.args().substring(health.args().indexOf("CMD") + 3).trim()).get(0);
        String runs = runtime.stream().filter(i -> i.keyword().equals("RUN")).map(Instruction::args)
                .collect(Collectors.joining("\n"));
        assertThat(runs).as("the health check tool is installed in the runtime image")
                .containsPattern("apt-get install[^\\n]*\\b" + Pattern.quote(tool) + "\\b")
                .contains("rm -rf /var/lib/apt/lists");
        assertThat(runs).as("the state directory exists and belongs to the runtime user")
                .contains("-o " + dockerUid()).contains("/var/lib/wasched");
    }

    @Test
    void dockerfile_keeps_secrets_and_local_state_out_of_the_build_context() throws IOException {
        List<String> ignore = Files.readAllLines(deploy.resolve("Dockerfile.dockerignore"));
        assertThat(ignore).contains("deploy/secrets", "**/target", "**/.wasched", ".git");
        assertThat(Files.readString(deploy.resolve(".gitignore")).lines()).contains("secrets/");
        List<Instruction> all = dockerInstructions();
        assertThat(all).filteredOn(i -> i.keyword().equals("ARG") || i.keyword().equals("ENV"))
                .allSatisfy(i -> assertThat(SENSITIVE_NAME.matcher(i.args().split("[=\\s]")[0]).matches())
                        .as("no secret in %s %s", i.keyword(), i.args()).isFalse());
    }

    // ------------------------------------------------------------------ secrets in files

    @Test
    void no_deploy_file_contains_private_keys_or_inline_secret_values() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path f : deployFiles()) {
            String text = Files.readString(f);
            String name = deploy.relativize(f).toString();
            if (text.contains("PRIVATE KEY") || text.contains("-----BEGIN")) {
                problems.add(name + ": PEM material");
            }
            if (Pattern.compile("\\b(AKIA[0-9A-Z]{16}|EAA[0-9A-Za-z]{30,}|ghp_[0-9A-Za-z]{30,})\\b").matcher(text).find()) {
                problems.add(name + ": token-like literal");
            }
            String file = f.getFileName().toString();
            if (file.endsWith(".yaml") || file.endsWith(".yml")) {
                for (Object doc : loadAll(f)) {
                    scanYaml(name, null, doc, problems);
                }
            } else {
                for (String line : text.lines().toList()) {
                    String l = line.strip();
                    if (l.startsWith("#") || !l.contains("=")) {
                        continue;
                    }
                    l = l.replaceFirst("^(Environment|ENV|ARG)[=\\s]+", "");
                    String[] kv = l.split("=", 2);
                    if (kv[0].matches("[A-Za-z_][A-Za-z0-9_]*") && SENSITIVE_NAME.matcher(kv[0]).matches()
                            && !harmless(kv[1])) {
                        problems.add(name + ": " + kv[0] + " has an inline value");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void secret_scanner_flags_an_inline_password() {
        List<String> problems = new ArrayList<>();
        scanYaml("x", null, new Yaml().load("env:\n  - name: WASCHED_DB_PASSWORD\n    value: hunter2\n"), problems);
        scanYaml("x", null, new Yaml().load("stringData:\n  db_password: s3cret\n"), problems);
        scanYaml("x", null, new Yaml().load("stringData:\n  db_password: REPLACE_ME\n"), problems);
        assertThat(problems).hasSize(2);
    }

    // ------------------------------------------------------------------ compose

    @Test
    void compose_wasched_service_is_locked_down() throws IOException {
        Map<String, Object> wasched = composeService("wasched");
        assertThat(wasched.get("read_only")).isEqualTo(true);
        assertThat(strings(wasched.get("security_opt"))).contains("no-new-privileges:true");
        assertThat(strings(wasched.get("cap_drop"))).contains("ALL");
        assertThat(strings(wasched.get("tmpfs"))).anySatisfy(t -> assertThat(t).startsWith("/tmp"));
        assertThat(wasched).doesNotContainKeys("privileged", "cap_add", "user");
        Map<String, Object> build = map(wasched.get("build"));
        assertThat(deploy.resolve(String.valueOf(build.get("context"))).normalize()).isEqualTo(root.normalize());
        assertThat(build.get("dockerfile")).isEqualTo("deploy/Dockerfile");
        assertThat(parseDuration(String.valueOf(wasched.get("stop_grace_period"))))
                .isGreaterThan(defaults.dispatch().drainTimeout());
    }

    @Test
    void compose_publishes_grpc_and_webhook_but_not_the_admin_port() throws IOException {
        Map<String, Object> wasched = composeService("wasched");
        Set<Integer> targets = new TreeSet<>();
        Set<Integer> published = new TreeSet<>();
        for (Object p : list(wasched.get("ports"))) {
            if (p instanceof Map<?, ?> m) {
                targets.add(Integer.parseInt(String.valueOf(m.get("target"))));
                if (m.get("published") != null) {
                    published.add(Integer.parseInt(String.valueOf(m.get("published"))));
                }
            } else {
                String[] parts = String.valueOf(p).replaceAll("/(tcp|udp)$", "").split(":");
                targets.add(Integer.parseInt(parts[parts.length - 1]));
                if (parts.length > 1) {
                    published.add(Integer.parseInt(parts[parts.length - 2]));
                }
            }
        }
        assertThat(targets).contains(defaults.grpc().port(), defaults.webhook().port())
                .doesNotContain(defaults.admin().port());
        assertThat(published).doesNotContain(defaults.admin().port());
        assertThat(wasched).doesNotContainKey("network_mode");
    }

    @Test
    void compose_environment_uses_known_names_and_secret_files_that_are_declared() throws IOException {
        Map<String, Object> compose = map(load(deploy.resolve("compose.yaml")));
        Map<String, Object> topSecrets = map(compose.get("secrets"));
        Map<String, Object> wasched = composeService("wasched");
        Map<String, String> env = composeEnv(wasched);
        assertThat(env.keySet()).filteredOn(k -> k.startsWith("WASCHED_")).isNotEmpty()
                .allSatisfy(k -> assertThat(knownNames).contains(k));
        assertThat(env).containsEntry("WASCHED_DB_URL", "jdbc:postgresql://postgres:5432/wasched")
                .containsEntry("WASCHED_DB_PASSWORD_FILE", "/run/secrets/db_password")
                .containsKeys("WASCHED_DB_USER", "WASCHED_WHATSAPP_ACCESS_TOKEN_FILE",
                        "WASCHED_WHATSAPP_APP_SECRET_FILE", "WASCHED_WHATSAPP_VERIFY_TOKEN_FILE")
                .doesNotContainKeys("WASCHED_DB_PASSWORD", "WASCHED_WHATSAPP_ACCESS_TOKEN",
                        "WASCHED_WHATSAPP_APP_SECRET", "WASCHED_WHATSAPP_VERIFY_TOKEN");
        assertTlsAllOrNone(env.keySet());

        Set<String> serviceSecrets = secretSources(wasched);
        assertThat(topSecrets.keySet()).containsAll(serviceSecrets);
        env.forEach((k, v) -> {
            if (k.endsWith("_FILE")) {
                assertThat(v).as(k).startsWith("/run/secrets/");
                assertThat(serviceSecrets).as(k).contains(v.substring("/run/secrets/".length()));
            }
        });
        topSecrets.forEach((name, spec) -> assertThat(String.valueOf(map(spec).get("file")))
                .as("secret %s comes from a git-ignored file", name).startsWith("./secrets/"));

        String stateDir = env.getOrDefault("WASCHED_STATE_DIR", "/var/lib/wasched");
        Map<String, Object> volumes = map(compose.get("volumes"));
        assertThat(strings(wasched.get("volumes"))).anySatisfy(v -> {
            String[] parts = v.split(":");
            assertThat(parts[1]).isEqualTo(stateDir);
            assertThat(volumes).as("named volume").containsKey(parts[0]);
        });
    }

    @Test
    void compose_postgres_is_healthy_internal_and_gets_its_password_from_a_secret() throws IOException {
        Map<String, Object> compose = map(load(deploy.resolve("compose.yaml")));
        Map<String, Object> pg = composeService("postgres");
        assertThat(pg.get("image")).isEqualTo("postgres:16");
        assertThat(pg).doesNotContainKey("ports");
        Map<String, String> env = composeEnv(pg);
        assertThat(env).containsEntry("POSTGRES_PASSWORD_FILE", "/run/secrets/db_password")
                .doesNotContainKey("POSTGRES_PASSWORD");
        assertThat(secretSources(pg)).contains("db_password");
        assertThat(String.valueOf(map(pg.get("healthcheck")).get("test"))).contains("pg_isready");
        assertThat(strings(pg.get("volumes"))).anySatisfy(v -> assertThat(v).endsWith(":/var/lib/postgresql/data"));
        Map<String, Object> networks = map(compose.get("networks"));
        assertThat(networkNames(pg)).isNotEmpty().allSatisfy(n -> assertThat(map(networks.get(n)).get("internal"))
                .as("network %s is internal", n).isEqualTo(true));
        assertThat(networkNames(composeService("wasched"))).containsAll(networkNames(pg));

        Map<String, Object> dependsOn = map(composeService("wasched").get("depends_on"));
        assertThat(map(dependsOn.get("postgres")).get("condition")).isEqualTo("service_healthy");
    }

    // ------------------------------------------------------------------ Kubernetes

    @Test
    void every_kubernetes_manifest_parses_and_names_its_objects() throws IOException {
        try (Stream<Path> s = Files.list(deploy.resolve("k8s"))) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(files).extracting(p -> p.getFileName().toString()).contains("namespace.yaml",
                    "deployment.yaml", "service.yaml", "networkpolicy.yaml", "secret.example.yaml",
                    "kustomization.yaml");
            for (Path f : files) {
                List<Object> docs = loadAll(f);
                assertThat(docs).as(f.toString()).isNotEmpty().doesNotContainNull();
                if (!f.getFileName().toString().equals("secret.example.yaml")) {
                    assertThat(docs).as("one object per file: %s", f).hasSize(1);
                }
                for (Object d : docs) {
                    Map<String, Object> doc = map(d);
                    assertThat(doc.get("apiVersion")).as(f.toString()).isNotNull();
                    assertThat(doc.get("kind")).as(f.toString()).isNotNull();
                    if (!"Kustomization".equals(doc.get("kind"))) {
                        assertThat(String.valueOf(map(doc.get("metadata")).get("name"))).as(f.toString()).isNotBlank();
                    }
                }
            }
        }
    }

    @Test
    void kustomization_lists_existing_manifests_but_not_the_example_secret() throws IOException {
        Map<String, Object> k = k8s("kustomization.yaml");
        assertThat(k.get("kind")).isEqualTo("Kustomization");
        List<String> resources = strings(k.get("resources"));
        assertThat(resources).containsExactlyInAnyOrder("namespace.yaml", "deployment.yaml", "service.yaml",
                "networkpolicy.yaml");
        resources.forEach(r -> assertThat(deploy.resolve("k8s").resolve(r)).isRegularFile());
        String ns = String.valueOf(map(k8s("namespace.yaml").get("metadata")).get("name"));
        assertThat(k.get("namespace")).isEqualTo(ns);
        for (String r : List.of("deployment.yaml", "service.yaml", "networkpolicy.yaml", "secret.example.yaml")) {
            for (Object d : loadAll(deploy.resolve("k8s").resolve(r))) {
                assertThat(map(map(d).get("metadata")).get("namespace")).as(r).isEqualTo(ns);
            }
        }
    }

    @Test
    void deployment_runs_two_hardened_replicas() throws IOException {
        Map<String, Object> dep = k8s("deployment.yaml");
        assertThat(dep.get("kind")).isEqualTo("Deployment");
        assertThat(map(dep.get("spec")).get("replicas")).isEqualTo(2);
        Map<String, Object> pod = podSpec();
        Map<String, Object> podSec = map(pod.get("securityContext"));
        Map<String, Object> sec = map(container().get("securityContext"));
        assertThat(sec.get("runAsNonRoot")).isEqualTo(true);
        assertThat(sec.get("runAsUser")).isEqualTo(10001).isEqualTo(dockerUid());
        assertThat(sec.get("readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(sec.get("allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(sec.get("privileged")).isNotEqualTo(true);
        assertThat(strings(map(sec.get("capabilities")).get("drop"))).contains("ALL");
        assertThat(map(sec.get("capabilities"))).doesNotContainKey("add");
        Object seccomp = sec.containsKey("seccompProfile") ? sec.get("seccompProfile") : podSec.get("seccompProfile");
        assertThat(map(seccomp).get("type")).isEqualTo("RuntimeDefault");
        assertThat(podSec.get("runAsNonRoot")).isEqualTo(true);
        assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
        assertThat(((Number) pod.get("terminationGracePeriodSeconds")).longValue())
                .isGreaterThan(defaults.dispatch().drainTimeout().toSeconds());
    }

    @Test
    void deployment_probes_hit_health_on_the_admin_port_which_listens_on_all_interfaces() throws IOException {
        Map<String, Object> c = container();
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            Map<String, Object> get = map(map(c.get(probe)).get("httpGet"));
            assertThat(get.get("path")).as(probe).isEqualTo("/health");
            assertThat(resolvePort(get.get("port"))).as(probe).isEqualTo(defaults.admin().port());
        }
        assertThat(deploymentEnv()).containsEntry("WASCHED_ADMIN_HOST", "0.0.0.0");
    }

    @Test
    void deployment_memory_limit_is_at_most_512_mebibytes() throws IOException {
        Map<String, Object> resources = map(container().get("resources"));
        assertThat(map(resources.get("requests"))).containsKeys("cpu", "memory");
        long limit = bytes(String.valueOf(map(resources.get("limits")).get("memory")));
        assertThat(limit).isPositive().isLessThanOrEqualTo(512L * 1024 * 1024);
        assertThat(bytes(String.valueOf(map(resources.get("requests")).get("memory")))).isLessThanOrEqualTo(limit);
    }

    @Test
    void container_ports_are_the_servers_ports_and_the_service_targets_them() throws IOException {
        Set<Integer> containerPorts = list(container().get("ports")).stream()
                .map(p -> ((Number) map(p).get("containerPort")).intValue()).collect(Collectors.toSet());
        assertThat(containerPorts).containsExactlyInAnyOrderElementsOf(serverPorts());

        Map<String, Object> svc = k8s("service.yaml");
        Map<String, Object> spec = map(svc.get("spec"));
        assertThat(svc.get("kind")).isEqualTo("Service");
        assertThat(spec.get("type")).isEqualTo("ClusterIP");
        List<Integer> targets = list(spec.get("ports")).stream().map(p -> resolvePort(map(p).get("targetPort")))
                .toList();
        assertThat(targets).containsExactlyInAnyOrder(defaults.grpc().port(), defaults.webhook().port());
        assertThat(containerPorts).containsAll(targets);
        Map<String, Object> podLabels = map(map(map(map(k8s("deployment.yaml").get("spec")).get("template"))
                .get("metadata")).get("labels"));
        assertThat(podLabels).containsAllEntriesOf(map(spec.get("selector")));
    }

    @Test
    void deployment_env_names_are_known_and_file_variables_point_into_mounted_secret_volumes() throws IOException {
        Map<String, String> env = deploymentEnv();
        assertThat(env.keySet()).allSatisfy(k -> assertThat(knownNames).as(k).contains(k));
        assertThat(env).doesNotContainKeys("WASCHED_DB_PASSWORD", "WASCHED_WHATSAPP_ACCESS_TOKEN",
                "WASCHED_WHATSAPP_APP_SECRET", "WASCHED_WHATSAPP_VERIFY_TOKEN");
        assertThat(env.get("WASCHED_DB_URL")).startsWith("jdbc:postgresql://");
        assertTlsAllOrNone(env.keySet());

        Map<String, Map<String, Object>> volumes = podVolumes();
        Map<String, Set<String>> exampleKeys = exampleSecretKeys();
        List<Map<String, Object>> mounts = list(container().get("volumeMounts")).stream().map(DeployFilesTest::map)
                .filter(m -> !m.containsKey("subPath")).toList();
        List<Map.Entry<String, String>> files = env.entrySet().stream().filter(e -> e.getKey().endsWith("_FILE"))
                .toList();
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        for (Map.Entry<String, String> e : files) {
            Map<String, Object> mount = mounts.stream()
                    .filter(m -> e.getValue().startsWith(m.get("mountPath") + "/")).findFirst().orElse(null);
            assertThat(mount).as("%s=%s is inside a volume mount", e.getKey(), e.getValue()).isNotNull();
            assertThat(mount.get("readOnly")).as(e.getKey()).isEqualTo(true);
            Map<String, Object> secret = map(volumes.get(String.valueOf(mount.get("name"))).get("secret"));
            assertThat(secret).as("%s comes from a Secret volume", e.getKey()).isNotEmpty();
            assertThat(secret.get("defaultMode")).as("mode 0400").isEqualTo(0400);
            String key = e.getValue().substring(String.valueOf(mount.get("mountPath")).length() + 1);
            assertThat(exampleKeys.get(String.valueOf(secret.get("secretName"))))
                    .as("%s: the example Secret has key %s", e.getKey(), key).contains(key);
        }
        for (Object item : list(container().get("env"))) {
            Map<String, Object> ref = map(map(map(item).get("valueFrom")).get("secretKeyRef"));
            if (!ref.isEmpty()) {
                assertThat(exampleKeys.get(String.valueOf(ref.get("name")))).contains(String.valueOf(ref.get("key")));
            }
        }
        assertThat(map(podSpec().get("securityContext")).get("fsGroup")).as("secret files readable by the user")
                .isEqualTo(dockerUid());
    }

    @Test
    void deployment_has_scratch_volumes_for_tmp_and_state_and_shares_keys_between_replicas() throws IOException {
        Map<String, String> env = deploymentEnv();
        String stateDir = env.get("WASCHED_STATE_DIR");
        assertThat(stateDir).isNotBlank();
        Map<String, Map<String, Object>> volumes = podVolumes();
        Map<String, String> mountVolume = new LinkedHashMap<>();
        Map<String, String> subPaths = new LinkedHashMap<>();
        for (Object o : list(container().get("volumeMounts"))) {
            Map<String, Object> m = map(o);
            mountVolume.put(String.valueOf(m.get("mountPath")), String.valueOf(m.get("name")));
            if (m.containsKey("subPath")) {
                subPaths.put(String.valueOf(m.get("mountPath")), String.valueOf(m.get("subPath")));
            }
        }
        assertThat(volumes.get(mountVolume.get("/tmp"))).containsKey("emptyDir");
        assertThat(volumes.get(mountVolume.get(stateDir))).containsKey("emptyDir");

        // Each replica has its own ephemeral state dir, so the keyring and the JWT key must come from the Secret.
        Settings s = SettingsLoader.load(Map.of("WASCHED_STATE_DIR", stateDir,
                "WASCHED_JWT_KEY_FILE", env.get("WASCHED_JWT_KEY_FILE")));
        String keyring = s.keyringFile().toString();
        assertThat(mountVolume).as("keyring mounted where the server reads it").containsKey(keyring);
        assertThat(volumes.get(mountVolume.get(keyring))).containsKey("secret");
        assertThat(exampleSecretKeys().get(String.valueOf(map(volumes.get(mountVolume.get(keyring)).get("secret"))
                .get("secretName")))).contains(subPaths.get(keyring));
        assertThat(s.auth().jwtKeyFile().toString()).doesNotStartWith(stateDir);
    }

    @Test
    void network_policy_admits_only_the_server_ports_from_the_same_namespace() throws IOException {
        Map<String, Object> np = k8s("networkpolicy.yaml");
        assertThat(np.get("kind")).isEqualTo("NetworkPolicy");
        Map<String, Object> spec = map(np.get("spec"));
        assertThat(strings(spec.get("policyTypes"))).contains("Ingress");
        Map<String, Object> podLabels = map(map(map(map(k8s("deployment.yaml").get("spec")).get("template"))
                .get("metadata")).get("labels"));
        assertThat(podLabels).containsAllEntriesOf(map(map(spec.get("podSelector")).get("matchLabels")));
        Set<Integer> ports = new TreeSet<>();
        for (Object r : list(spec.get("ingress"))) {
            Map<String, Object> rule = map(r);
            assertThat(list(rule.get("from"))).isNotEmpty().allSatisfy(f -> assertThat(map(f).keySet())
                    .as("same-namespace peers only").containsExactly("podSelector"));
            assertThat(list(rule.get("ports"))).isNotEmpty();
            list(rule.get("ports")).forEach(p -> ports.add(resolvePort(map(p).get("port"))));
        }
        assertThat(ports).containsExactlyInAnyOrderElementsOf(serverPorts());
    }

    @Test
    void example_secret_is_clearly_an_example_with_placeholders_only() throws IOException {
        List<Object> docs = loadAll(deploy.resolve("k8s/secret.example.yaml"));
        assertThat(Files.readString(deploy.resolve("k8s/secret.example.yaml"))).contains("EXAMPLE");
        for (Object d : docs) {
            Map<String, Object> doc = map(d);
            assertThat(doc.get("kind")).isEqualTo("Secret");
            assertThat(doc).doesNotContainKey("data");
            Map<String, Object> data = map(doc.get("stringData"));
            assertThat(data).isNotEmpty();
            data.forEach((k, v) -> assertThat(String.valueOf(v)).as(k).isEqualTo(PLACEHOLDER));
        }
    }

    // ------------------------------------------------------------------ systemd

    @Test
    void systemd_unit_is_complete_and_hardened() throws IOException {
        Map<String, Map<String, List<String>>> unit = unitFile(deploy.resolve("systemd/wasched.service"));
        assertThat(unit).containsKeys("Unit", "Service", "Install");
        Map<String, List<String>> svc = unit.get("Service");
        String exec = one(svc, "ExecStart");
        assertThat(exec).startsWith("/usr/bin/java ").contains(" -jar /opt/wasched/" + finalName + ".jar");
        assertThat(one(svc, "User")).isNotBlank().isNotIn("root", "0");
        assertThat(one(svc, "NoNewPrivileges")).isEqualTo("true");
        assertThat(one(svc, "ProtectSystem")).isEqualTo("strict");
        assertThat(one(svc, "ProtectHome")).isEqualTo("true");
        assertThat(one(svc, "PrivateTmp")).isEqualTo("true");
        assertThat(svc.get("CapabilityBoundingSet")).containsExactly("");
        assertThat(one(svc, "RestrictAddressFamilies").split("\\s+"))
                .containsExactlyInAnyOrder("AF_INET", "AF_INET6", "AF_UNIX");
        assertThat(one(svc, "Restart")).isEqualTo("on-failure");
        assertThat(svc).doesNotContainKey("MemoryDenyWriteExecute");
        assertThat(parseDuration(one(svc, "TimeoutStopSec"))).isGreaterThan(defaults.dispatch().drainTimeout());
        assertThat(one(svc, "EnvironmentFile")).isEqualTo("-/etc/wasched/wasched.env");
        assertThat(unit.get("Install").get("WantedBy")).contains("multi-user.target");
    }

    @Test
    void systemd_environment_uses_known_names_and_loaded_credentials() throws IOException {
        Map<String, List<String>> svc = unitFile(deploy.resolve("systemd/wasched.service")).get("Service");
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : svc.getOrDefault("Environment", List.of())) {
            String[] kv = e.replace("\"", "").split("=", 2);
            env.put(kv[0], kv[1]);
        }
        assertThat(env.keySet()).allSatisfy(k -> assertThat(knownNames).as(k).contains(k));
        assertThat(env).containsEntry("WASCHED_STATE_DIR", "/var/lib/" + one(svc, "StateDirectory"));
        Set<String> credentials = svc.getOrDefault("LoadCredential", List.of()).stream()
                .map(c -> c.split(":", 2)[0]).collect(Collectors.toSet());
        assertThat(env).containsKeys("WASCHED_DB_PASSWORD_FILE", "WASCHED_WHATSAPP_ACCESS_TOKEN_FILE");
        assertTlsAllOrNone(env.keySet());
        env.forEach((k, v) -> {
            if (k.endsWith("_FILE")) {
                assertThat(v).as(k).startsWith("%d/");
                assertThat(credentials).as(k).contains(v.substring(3));
            }
        });

        List<String> example = Files.readAllLines(deploy.resolve("systemd/wasched.env.example")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(example).isNotEmpty().allSatisfy(l -> {
            assertThat(l).matches("WASCHED_[A-Z0-9_]+=.*");
            assertThat(knownNames).contains(l.substring(0, l.indexOf('=')));
            assertThat(l).doesNotContain("_FILE=");
        });
    }

    // ================================================================== helpers

    private record Instruction(String keyword, String args) {}

    private static Set<String> loaderNames(String source) {
        Set<String> names = new TreeSet<>();
        Matcher m = LOADER_LITERAL.matcher(source);
        while (m.find()) {
            names.add(m.group(1));
        }
        Matcher s = LOADER_SECRET.matcher(source);
        int secrets = 0;
        while (s.find()) {
            names.add(s.group(1) + "_FILE");
            secrets++;
        }
        assertThat(secrets).as("secret(...) calls found in SettingsLoader").isPositive();
        return names;
    }

    private static Set<String> unknownNames(String text) {
        Set<String> unknown = new LinkedHashSet<>();
        Matcher m = WASCHED_NAME.matcher(text);
        while (m.find()) {
            if (!knownNames.contains(m.group())) {
                unknown.add(m.group());
            }
        }
        return unknown;
    }

    private static void assertTlsAllOrNone(Set<String> names) {
        long n = Stream.of("WASCHED_TLS_CERT_FILE", "WASCHED_TLS_KEY_FILE", "WASCHED_TLS_CLIENT_CA_FILE")
                .filter(names::contains).count();
        assertThat(n).as("TLS files: all three or none").isIn(0L, 3L);
    }

    private static List<Path> deployFiles() throws IOException {
        try (Stream<Path> s = Files.walk(deploy)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !deploy.relativize(p).startsWith("secrets"))
                    .filter(p -> !p.getFileName().toString().endsWith(".md"))
                    .sorted().toList();
        }
    }

    private static Set<Integer> serverPorts() {
        return Set.of(defaults.grpc().port(), defaults.webhook().port(), defaults.admin().port());
    }

    private static boolean harmless(String value) {
        String v = value.strip().replaceAll("^[\"']|[\"']$", "");
        return v.isEmpty() || v.equals(PLACEHOLDER) || v.startsWith("/") || v.startsWith("./")
                || v.startsWith("%d/") || v.startsWith("${");
    }

    private static void scanYaml(String file, String key, Object node, List<String> problems) {
        if (node instanceof Map<?, ?> m) {
            if (m.get("name") instanceof String n && m.get("value") instanceof String v
                    && SENSITIVE_NAME.matcher(n).matches() && !harmless(v)) {
                problems.add(file + ": env " + n + " has an inline value");
            }
            m.forEach((k, v) -> scanYaml(file, String.valueOf(k), v, problems));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> scanYaml(file, null, v, problems)); // list items are names, not values of `key`
        } else if (node instanceof String v && key != null && SENSITIVE_NAME.matcher(key).matches()
                && !harmless(v)) {
            problems.add(file + ": " + key + " has an inline value");
        }
    }

    // --- Dockerfile

    private static List<Instruction> dockerInstructions() throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(deploy.resolve("Dockerfile"))) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String full = current.toString().strip().replaceAll("\\s+", " ");
            current.setLength(0);
            if (full.isEmpty()) {
                continue;
            }
            int sp = full.indexOf(' ');
            out.add(new Instruction(full.substring(0, sp).toUpperCase(), full.substring(sp + 1).strip()));
        }
        return out;
    }

    private static List<List<Instruction>> dockerStages() throws IOException {
        List<List<Instruction>> stages = new ArrayList<>();
        for (Instruction i : dockerInstructions()) {
            if (i.keyword().equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            assertThat(stages).as("instruction before the first FROM: %s", i).isNotEmpty();
            stages.get(stages.size() - 1).add(i);
        }
        return stages;
    }

    private static List<Instruction> runtimeStage() throws IOException {
        List<List<Instruction>> stages = dockerStages();
        return stages.get(stages.size() - 1);
    }

    private static int dockerUid() {
        try {
            List<Instruction> users = runtimeStage().stream().filter(i -> i.keyword().equals("USER")).toList();
            return Integer.parseInt(users.get(users.size() - 1).args().split(":")[0]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(List<Instruction> stage, String keyword) {
        for (int i = 0; i < stage.size(); i++) {
            if (stage.get(i).keyword().equals(keyword)) {
                return i;
            }
        }
        throw new AssertionError("no " + keyword + " in the runtime stage");
    }

    @SuppressWarnings("unchecked")
    private static List<String> execForm(String json) {
        Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(json); // a JSON array is YAML
        assertThat(parsed).as("exec form: %s", json).isInstanceOf(List.class);
        return (List<String>) parsed;
    }

    // --- YAML

    private static Object load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
    }

    private static List<Object> loadAll(Path file) throws IOException {
        List<Object> docs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in).forEach(docs::add);
        }
        return docs;
    }

    private static Map<String, Object> k8s(String file) throws IOException {
        return map(load(deploy.resolve("k8s").resolve(file)));
    }

    private static Map<String, Object> podSpec() throws IOException {
        return map(map(map(k8s("deployment.yaml").get("spec")).get("template")).get("spec"));
    }

    private static Map<String, Object> container() throws IOException {
        List<Object> containers = list(podSpec().get("containers"));
        assertThat(containers).hasSize(1);
        return map(containers.get(0));
    }

    private static Map<String, String> deploymentEnv() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object o : list(container().get("env"))) {
            Map<String, Object> e = map(o);
            env.put(String.valueOf(e.get("name")), e.containsKey("value") ? String.valueOf(e.get("value")) : "<ref>");
        }
        return env;
    }

    private static Map<String, Map<String, Object>> podVolumes() throws IOException {
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        for (Object o : list(podSpec().get("volumes"))) {
            volumes.put(String.valueOf(map(o).get("name")), map(o));
        }
        return volumes;
    }

    private static Map<String, Set<String>> exampleSecretKeys() throws IOException {
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        for (Object d : loadAll(deploy.resolve("k8s/secret.example.yaml"))) {
            Map<String, Object> doc = map(d);
            keys.put(String.valueOf(map(doc.get("metadata")).get("name")), map(doc.get("stringData")).keySet());
        }
        return keys;
    }

    /** A port number, or a named container port resolved against the deployment. */
    private static int resolvePort(Object port) {
        if (port instanceof Number n) {
            return n.intValue();
        }
        try {
            return list(container().get("ports")).stream().map(DeployFilesTest::map)
                    .filter(p -> Objects.equals(p.get("name"), port))
                    .map(p -> ((Number) p.get("containerPort")).intValue()).findFirst()
                    .orElseThrow(() -> new AssertionError("unknown port name " + port));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> composeService(String name) throws IOException {
        Map<String, Object> services = map(map(load(deploy.resolve("compose.yaml"))).get("services"));
        assertThat(services).containsKey(name);
        return map(services.get(name));
    }

    private static Map<String, String> composeEnv(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object raw = service.get("environment");
        if (raw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
        } else {
            for (String s : strings(raw)) {
                String[] kv = s.split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return env;
    }

    private static Set<String> secretSources(Map<String, Object> service) {
        Set<String> out = new TreeSet<>();
        for (Object s : list(service.get("secrets"))) {
            out.add(s instanceof Map<?, ?> m ? String.valueOf(m.get("source")) : String.valueOf(s));
        }
        return out;
    }

    private static Set<String> networkNames(Map<String, Object> service) {
        Object n = service.get("networks");
        return n instanceof Map<?, ?> m ? m.keySet().stream().map(String::valueOf).collect(Collectors.toSet())
                : new TreeSet<>(strings(n));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        if (o == null) {
            return Map.of();
        }
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    private static List<String> strings(Object o) {
        return list(o).stream().map(String::valueOf).toList();
    }

    /** Kubernetes quantities: plain bytes or with a binary/decimal suffix. */
    private static long bytes(String q) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?").matcher(q.strip());
        assertThat(m.matches()).as("quantity %s", q).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            case "Ti" -> n << 40;
            case "k" -> n * 1_000L;
            case "M" -> n * 1_000_000L;
            case "G" -> n * 1_000_000_000L;
            case "T" -> n * 1_000_000_000_000L;
            default -> n;
        };
    }

    private static Duration parseDuration(String s) {
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|min|m|h)?").matcher(s.strip());
        assertThat(m.matches()).as("duration %s", s).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    // --- systemd and pom

    private static Map<String, Map<String, List<String>>> unitFile(Path file) throws IOException {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            assertThat(current).as("line outside a section: %s", line).isNotNull();
            int eq = line.indexOf('=');
            assertThat(eq).as("key=value: %s", line).isPositive();
            current.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(line.substring(eq + 1).strip());
        }
        return sections;
    }

    private static String one(Map<String, List<String>> section, String key) {
        List<String> v = section.get(key);
        assertThat(v).as(key).isNotNull().hasSize(1);
        return v.get(0);
    }

    private static String text(Element parent, String... path) {
        Element e = parent;
        for (String name : path) {
            Element next = null;
            NodeList children = e.getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                Node n = children.item(i);
                if (n instanceof Element c && c.getTagName().equals(name)) {
                    next = c;
                    break;
                }
            }
            assertThat(next).as("<%s> in server/pom.xml", name).isNotNull();
            e = next;
        }
        return e.getTextContent().trim();
    }
}
