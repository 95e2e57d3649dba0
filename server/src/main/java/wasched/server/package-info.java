/** The wasched server: start-up and wiring ({@link wasched.server.WaschedServer}) and the domain error hierarchy. */
package wasched.server;
