package wasched.server.security;

import java.util.EnumSet;
import java.util.Set;

/** A user's role and the permissions it grants (the seed's matrix). */
public enum Role {
    ADMIN(EnumSet.allOf(Permission.class)),
    USER(EnumSet.of(Permission.CREATE_MESSAGE, Permission.SCHEDULE_MESSAGE, Permission.MANAGE_RECIPIENTS,
            Permission.VIEW_ANALYTICS)),
    VIEWER(EnumSet.of(Permission.VIEW_ANALYTICS));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = permissions;
    }

    public boolean grants(Permission p) {
        return permissions.contains(p);
    }

    /** Permissions a role can hold; PUBLIC and AUTHENTICATED are handled by the interceptors. */
    public enum Permission {
        CREATE_MESSAGE, DELETE_MESSAGE, SCHEDULE_MESSAGE, MANAGE_RECIPIENTS, VIEW_ANALYTICS, MANAGE_USERS
    }
}
