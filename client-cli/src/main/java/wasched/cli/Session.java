package wasched.cli;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.Locale;
import wasched.v1.Role;
import wasched.v1.TokenPair;

/**
 * A logged-in session as kept in the session file.
 *
 * @param accessToken bearer JWT
 * @param accessTokenExpireTime when the access token stops working
 * @param refreshToken opaque token for AuthService.Refresh
 * @param refreshTokenExpireTime when the refresh token stops working
 * @param user the user's resource name, "users/{username}"
 * @param role the role in lower case, e.g. "admin"
 * @param server the HOST:PORT the tokens were issued by
 */
record Session(
    String accessToken,
    Instant accessTokenExpireTime,
    String refreshToken,
    Instant refreshTokenExpireTime,
    String user,
    String role,
    String server) {

  /** Tokens this close to expiry are treated as expired. */
  private static final java.time.Duration SKEW = java.time.Duration.ofSeconds(5);

  static Session from(TokenPair tokens, String server) {
    return new Session(
        tokens.getAccessToken(),
        tokens.hasAccessTokenExpireTime() ? toInstant(tokens.getAccessTokenExpireTime()) : null,
        tokens.getRefreshToken(),
        tokens.hasRefreshTokenExpireTime() ? toInstant(tokens.getRefreshTokenExpireTime()) : null,
        tokens.getUser(),
        roleName(tokens.getRole()),
        server);
  }

  static String roleName(Role role) {
    if (role == Role.UNRECOGNIZED) {
      return "unknown";
    }
    return role.name().replaceFirst("^ROLE_", "").toLowerCase(Locale.ROOT);
  }

  static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** The bare username, without the "users/" prefix. */
  String username() {
    return user == null ? "" : user.replaceFirst("^users/", "");
  }

  boolean accessTokenExpired(Instant now) {
    return accessTokenExpireTime != null && !now.plus(SKEW).isBefore(accessTokenExpireTime);
  }

  boolean canRefresh(Instant now) {
    return refreshToken != null
        && !refreshToken.isEmpty()
        && (refreshTokenExpireTime == null || now.plus(SKEW).isBefore(refreshTokenExpireTime));
  }

  /** Never prints the tokens. */
  @Override
  public String toString() {
    return "Session[user=" + user + ", role=" + role + ", server=" + server
        + ", accessTokenExpireTime=" + accessTokenExpireTime + "]";
  }
}
