package wasched.server.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import wasched.server.security.SecureFiles;

/**
 * Master keys by id: one active key seals new values while every key in the ring can still open older ones,
 * so keys can be rotated without downtime or bulk re-encryption. The ring also holds the blind-index key.
 *
 * <p>The on-disk form is a JSON file, readable by the owner only:
 * {@code {"active":"k1","keys":{"k1":"<base64>"},"blindIndexKey":"<base64>"}}. Instances are thread-safe;
 * {@link #rotate(Path)} swaps the whole state atomically.
 */
public final class Keyring {

    /** Length in bytes of every key (AES-256 keys and the HMAC-SHA256 blind-index key). */
    public static final int KEY_BYTES = 32;

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern NUMBERED_ID = Pattern.compile("k([0-9]{1,9})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecureRandom random = new SecureRandom();
    private volatile State state;

    private record State(String active, Map<String, byte[]> keys, byte[] blindIndexKey) {
    }

    private Keyring(State state) {
        this.state = state;
    }

    /**
     * Loads the keyring file, or creates it (mode 0600, missing parent directories 0700) with one fresh
     * random AES-256 key named "k1" and a fresh blind-index key when the file does not exist.
     *
     * @throws CryptoException if the file exists but is not a valid keyring
     */
    public static Keyring loadOrCreate(Path file) {
        Objects.requireNonNull(file, "file");
        if (Files.exists(file)) {
            try {
                return new Keyring(parse(Files.readAllBytes(file)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read keyring " + file, e);
            }
        }
        SecureRandom random = new SecureRandom();
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put("k1", randomKey(random));
        Keyring keyring = of("k1", keys, randomKey(random));
        SecureFiles.writePrivate(file, toJson(keyring.state));
        return keyring;
    }

    /** Builds an in-memory keyring (for tests). The arrays are copied. */
    public static Keyring of(String activeKeyId, Map<String, byte[]> keys, byte[] blindIndexKey) {
        Objects.requireNonNull(activeKeyId, "activeKeyId");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(blindIndexKey, "blindIndexKey");
        Map<String, byte[]> copy = new LinkedHashMap<>();
        keys.forEach((id, key) -> copy.put(id, checkKey(id, key).clone()));
        if (!copy.containsKey(activeKeyId)) {
            throw new CryptoException("active key id is not in the keyring");
        }
        checkKey("blindIndexKey", blindIndexKey);
        return new Keyring(new State(activeKeyId, Collections.unmodifiableMap(copy), blindIndexKey.clone()));
    }

    /** The id of the key used for sealing new values. */
    public String activeKeyId() {
        return state.active();
    }

    /** All key ids that can open values, including the active one. */
    public Set<String> keyIds() {
        return state.keys().keySet();
    }

    /** A copy of the key with the given id, or {@code null} if the ring has no such key. */
    byte[] key(String keyId) {
        byte[] key = state.keys().get(keyId);
        return key == null ? null : key.clone();
    }

    /** A copy of the blind-index key. */
    byte[] blindIndexKey() {
        return state.blindIndexKey().clone();
    }

    /**
     * Adds a new random key, makes it the active one and rewrites {@code file} (mode 0600, atomic replace).
     * Existing keys are kept so older values still open.
     *
     * @return the new key id ("k2", "k3", ...)
     */
    public synchronized String rotate(Path file) {
        Objects.requireNonNull(file, "file");
        State current = state;
        String id = nextKeyId(current.keys().keySet());
        Map<String, byte[]> keys = new LinkedHashMap<>(current.keys());
        keys.put(id, randomKey(random));
        State next = new State(id, Collections.unmodifiableMap(keys), current.blindIndexKey());
        SecureFiles.writePrivate(file, toJson(next));
        state = next;
        return id;
    }

    private static String nextKeyId(Set<String> ids) {
        int highest = 0;
        for (String id : ids) {
            Matcher m = NUMBERED_ID.matcher(id);
            if (m.matches()) {
                highest = Math.max(highest, Integer.parseInt(m.group(1)));
            }
        }
        String candidate = "k" + (highest + 1);
        if (ids.contains(candidate)) {
            throw new CryptoException("cannot choose a new key id");
        }
        return candidate;
    }

    private static byte[] randomKey(SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return key;
    }

    private static byte[] checkKey(String id, byte[] key) {
        if (id == null || !KEY_ID.matcher(id).matches()) {
            throw new CryptoException("invalid key id");
        }
        if (key == null || key.length != KEY_BYTES) {
            throw new CryptoException("key " + id + " must be " + KEY_BYTES + " bytes");
        }
        return key;
    }

    private static byte[] toJson(State s) {
        Base64.Encoder b64 = Base64.getEncoder();
        ObjectNode root = JSON.createObjectNode();
        root.put("active", s.active());
        ObjectNode keys = root.putObject("keys");
        s.keys().forEach((id, key) -> keys.put(id, b64.encodeToString(key)));
        root.put("blindIndexKey", b64.encodeToString(s.blindIndexKey()));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new CryptoException("cannot serialise keyring", e);
        }
    }

    private static State parse(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            JsonNode active = root == null ? null : root.get("active");
            JsonNode keys = root == null ? null : root.get("keys");
            JsonNode blind = root == null ? null : root.get("blindIndexKey");
            if (active == null || !active.isTextual() || keys == null || !keys.isObject()
                    || blind == null || !blind.isTextual()) {
                throw new CryptoException("keyring file is malformed");
            }
            Base64.Decoder b64 = Base64.getDecoder();
            Map<String, byte[]> parsed = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : keys.properties()) {
                if (!entry.getValue().isTextual()) {
                    throw new CryptoException("keyring file is malformed");
                }
                parsed.put(entry.getKey(), b64.decode(entry.getValue().asText()));
            }
            return of(active.asText(), parsed, b64.decode(blind.asText())).state;
        } catch (IOException | IllegalArgumentException e) {
            throw new CryptoException("keyring file is malformed", e);
        }
    }
}
