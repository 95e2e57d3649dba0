package wasched.bench;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.StreamObserver;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.grpc.GrpcRouting;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import wasched.bench.echo.EchoRequest;
import wasched.bench.echo.EchoResponse;
import wasched.bench.echo.EchoServiceGrpc;
import wasched.server.security.Pem;

/**
 * A bare echo gRPC server for the framework baseline, run in its own JVM (as the real server is):
 * {@code EchoServerMain helidon|helidon-nodelay|netty <port> <certDir>}. Both variants use the wasched transport
 * settings: TLS 1.3 only, client certificate required, the dev PKI in {@code certDir} (server.pem,
 * server-key.pem, ca.pem). Prints {@code READY} once listening; exits when its stdin closes, so a
 * crashed bench never leaves it behind.
 */
public final class EchoServerMain {
    private EchoServerMain() {}

    /** Answers every request with its own payload; no other work. */
    static final class EchoImpl extends EchoServiceGrpc.EchoServiceImplBase {
        @Override
        public void echo(EchoRequest request, StreamObserver<EchoResponse> out) {
            ByteString payload = request.getPayload();
            out.onNext(EchoResponse.newBuilder().setPayload(payload).build());
            out.onCompleted();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !List.of("helidon", "helidon-nodelay", "netty").contains(args[0])) {
            System.err.println("usage: EchoServerMain helidon|helidon-nodelay|netty <port> <certDir>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);
        Path certs = Path.of(args[2]);
        Runnable stop;
        if (args[0].startsWith("helidon")) {
            // Helidon leaves TCP_NODELAY off by default (as the wasched server does today);
            // "helidon-nodelay" turns it on, to show what Nagle's algorithm costs small RPCs.
            boolean noDelay = args[0].equals("helidon-nodelay");
            io.helidon.common.tls.Tls tls = io.helidon.common.tls.Tls.builder()
                    .privateKey(Pem.readPrivateKey(certs.resolve("server-key.pem")))
                    .privateKeyCertChain(Pem.readCertificates(certs.resolve("server.pem")))
                    .trust(Pem.readCertificates(certs.resolve("ca.pem")))
                    .clientAuth(TlsClientAuth.REQUIRED)
                    .enabledProtocols(List.of("TLSv1.3"))
                    .build();
            WebServer ws = WebServer.builder()
                    .host("127.0.0.1")
                    .port(port)
                    .tls(tls)
                    .connectionOptions(o -> o.tcpNoDelay(noDelay))
                    .addRouting(GrpcRouting.builder().service(new EchoImpl()))
                    .build()
                    .start();
            stop = ws::stop;
        } else {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .sslContext(GrpcSslContexts.forServer(certs.resolve("server.pem").toFile(),
                                    certs.resolve("server-key.pem").toFile())
                            .trustManager(certs.resolve("ca.pem").toFile())
                            .clientAuth(ClientAuth.REQUIRE)
                            .protocols("TLSv1.3")
                            .build())
                    .addService(new EchoImpl())
                    .build()
                    .start();
            stop = server::shutdownNow;
        }
        System.out.println("READY");
        System.out.flush();
        // Serve until the parent closes our stdin (or dies).
        while (System.in.read() >= 0) {
            // ignore input
        }
        stop.run();
        System.exit(0);
    }
}
