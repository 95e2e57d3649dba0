package wasched.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** mTLS client channels with a dev PKI directory (ca.pem, client.pem, client-key.pem), TLS 1.3 only. */
final class Tls {
    private Tls() {}

    static SslContext clientContext(Path certDir) throws SSLException {
        return GrpcSslContexts.forClient()
                .trustManager(certDir.resolve("ca.pem").toFile())
                .keyManager(certDir.resolve("client.pem").toFile(), certDir.resolve("client-key.pem").toFile())
                .protocols("TLSv1.3")
                .build();
    }

    static ManagedChannel channel(int port, Path certDir) throws SSLException {
        return NettyChannelBuilder.forAddress("localhost", port).sslContext(clientContext(certDir))
                .flowControlWindow(1 << 20).build();
    }
}
