package wasched.server.security;

import java.util.UUID;

/**
 * The authenticated caller of one request: the user behind the access token and the client
 * certificate subject of the mTLS connection it came over.
 */
public record Principal(UUID userId, String username, Role role, String certificateSubject) {
    /** ADMIN sees every owner's data; everyone else only their own. */
    public boolean seesAllOwners() {
        return role == Role.ADMIN;
    }

    public boolean mayAccess(UUID ownerId) {
        return seesAllOwners() || userId.equals(ownerId);
    }
}
