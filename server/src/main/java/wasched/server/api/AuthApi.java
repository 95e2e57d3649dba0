package wasched.server.api;

import io.grpc.stub.StreamObserver;
import wasched.server.security.Authenticator;
import wasched.server.security.CallPrincipal;
import wasched.v1.AuthServiceGrpc;
import wasched.v1.LoginRequest;
import wasched.v1.LoginResponse;
import wasched.v1.LogoutRequest;
import wasched.v1.LogoutResponse;
import wasched.v1.RefreshRequest;
import wasched.v1.RefreshResponse;
import wasched.v1.TokenPair;

/** AuthService: login, refresh, logout. */
public final class AuthApi extends AuthServiceGrpc.AuthServiceImplBase {
    private final Authenticator authenticator;

    public AuthApi(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void login(LoginRequest req, StreamObserver<LoginResponse> out) {
        Unary.respond(out, () -> LoginResponse.newBuilder()
                .setTokens(pair(authenticator.login(req.getUsername(), req.getPassword().toCharArray()))).build());
    }

    @Override
    public void refresh(RefreshRequest req, StreamObserver<RefreshResponse> out) {
        Unary.respond(out, () -> RefreshResponse.newBuilder()
                .setTokens(pair(authenticator.refresh(req.getRefreshToken()))).build());
    }

    @Override
    public void logout(LogoutRequest req, StreamObserver<LogoutResponse> out) {
        Unary.respond(out, () -> {
            authenticator.logout(req.getRefreshToken(), CallPrincipal.current());
            return LogoutResponse.getDefaultInstance();
        });
    }

    private static TokenPair pair(Authenticator.IssuedTokens t) {
        return TokenPair.newBuilder()
                .setAccessToken(t.accessToken())
                .setAccessTokenExpireTime(ProtoMapper.timestamp(t.accessExpiresAt()))
                .setRefreshToken(t.refreshToken())
                .setRefreshTokenExpireTime(ProtoMapper.timestamp(t.refreshExpiresAt()))
                .setRole(ProtoMapper.role(t.role()))
                .setUser(ProtoMapper.user(t.username()))
                .build();
    }
}
