/** Thin gRPC services: validate and map proto to domain calls and back; every error goes through {@link wasched.server.api.StatusMapper}. */
package wasched.server.api;
