package wasched.server;

/**
 * Base of every error a caller can cause or must know about. The API layer maps each subclass to
 * one gRPC status in one place ({@code wasched.server.api.StatusMapper}); anything else is a bug
 * and becomes INTERNAL without details.
 */
public abstract class DomainException extends RuntimeException {
    protected DomainException(String message) {
        super(message, null, false, false);
    }

    /** Bad input; names every offending field. */
    public static final class InvalidArgument extends DomainException {
        private final java.util.List<FieldViolation> violations;

        public InvalidArgument(java.util.List<FieldViolation> violations) {
            super(violations.stream().map(v -> v.field() + ": " + v.description())
                    .collect(java.util.stream.Collectors.joining("; ")));
            this.violations = java.util.List.copyOf(violations);
        }

        public InvalidArgument(String field, String description) {
            this(java.util.List.of(new FieldViolation(field, description)));
        }

        public java.util.List<FieldViolation> violations() {
            return violations;
        }
    }

    /** One invalid field of a request, by its proto field path. */
    public record FieldViolation(String field, String description) {}

    /** The resource does not exist, or the caller may not see it (never reveal which). */
    public static final class NotFound extends DomainException {
        public NotFound(String resource) {
            super(resource + " not found");
        }
    }

    /** A create collided with an existing resource. */
    public static final class AlreadyExists extends DomainException {
        public AlreadyExists(String message) {
            super(message);
        }
    }

    /** The resource is not in a state that allows the operation. */
    public static final class FailedPrecondition extends DomainException {
        public FailedPrecondition(String message) {
            super(message);
        }
    }

    /** Missing, expired or wrong credentials. */
    public static final class Unauthenticated extends DomainException {
        public Unauthenticated(String message) {
            super(message);
        }
    }

    /** Authenticated, but not allowed. */
    public static final class PermissionDenied extends DomainException {
        public PermissionDenied(String message) {
            super(message);
        }
    }
}
