/**
 * The {@code wasched} administration command line: a picocli noun-verb front end that talks to the
 * wasched server over mutually authenticated TLS with the generated gRPC stubs and a bearer token.
 */
package wasched.cli;
