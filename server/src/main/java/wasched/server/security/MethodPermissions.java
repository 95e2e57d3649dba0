package wasched.server.security;

import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import wasched.v1.Permission;
import wasched.v1.PermissionProto;

/** Reads the {@code (wasched.v1.required_permission)} option of a method from its proto descriptor. */
final class MethodPermissions {
    private MethodPermissions() {}

    /** The declared permission, or PERMISSION_UNSPECIFIED when the method declares none (deny). */
    static Permission of(MethodDescriptor<?, ?> method) {
        if (method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier supplier) {
            var options = supplier.getMethodDescriptor().getOptions();
            if (options.hasExtension(PermissionProto.requiredPermission)) {
                return options.getExtension(PermissionProto.requiredPermission);
            }
        }
        return Permission.PERMISSION_UNSPECIFIED;
    }
}
