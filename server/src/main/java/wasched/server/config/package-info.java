/** Typed server settings read from application.yaml, environment variables and *_FILE secret files. */
package wasched.server.config;
