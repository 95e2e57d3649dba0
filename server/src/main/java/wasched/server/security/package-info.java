/**
 * Who may call what: JWT access tokens and rotating refresh tokens, Argon2id passwords, the
 * development PKI, and the authentication and RBAC interceptors driven by the proto's permission option.
 */
package wasched.server.security;
