/** Recipients: E.164 phone numbers via libphonenumber, validated names, encrypted storage and owner-scoped lookup. */
package wasched.server.recipient;
