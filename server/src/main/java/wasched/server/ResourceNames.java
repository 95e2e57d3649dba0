package wasched.server;

import java.util.UUID;

/** Parses and formats resource names such as "messages/{uuid}". */
public final class ResourceNames {
    private ResourceNames() {}

    public static UUID parse(String name, String collection, String field) {
        String prefix = collection + "/";
        if (name == null || name.isBlank()) {
            throw new DomainException.InvalidArgument(field, "required, as " + prefix + "{id}");
        }
        if (!name.startsWith(prefix)) {
            throw new DomainException.InvalidArgument(field, "must look like " + prefix + "{id}");
        }
        try {
            return UUID.fromString(name.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            throw new DomainException.InvalidArgument(field, "must look like " + prefix + "{id} with a UUID id");
        }
    }

    public static String format(String collection, UUID id) {
        return collection + "/" + id;
    }
}
