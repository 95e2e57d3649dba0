package wasched.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the channel a command talks to the server over. */
@FunctionalInterface
interface ChannelFactory {

  /**
   * Opens a channel to {@code target}.
   *
   * @throws CliException when the TLS material cannot be read
   */
  ManagedChannel open(String target, TlsFiles tls);

  /** The PEM files for mutual TLS. */
  record TlsFiles(Path ca, Path cert, Path key) {}

  /** The production factory: Netty, TLS 1.3 only, with the client certificate (mTLS). */
  static ChannelFactory mutualTls() {
    return (target, tls) -> {
      requireReadable(tls.ca(), "CA certificate");
      requireReadable(tls.cert(), "client certificate");
      requireReadable(tls.key(), "client private key");
      SslContext context;
      try {
        context =
            GrpcSslContexts.forClient()
                .trustManager(tls.ca().toFile())
                .keyManager(tls.cert().toFile(), tls.key().toFile())
                .protocols("TLSv1.3")
                .build();
      } catch (Exception e) {
        throw new CliException(
            ExitCodes.UNAVAILABLE,
            "TLS: cannot load "
                + tls.ca()
                + ", "
                + tls.cert()
                + " or "
                + tls.key()
                + " (the key must be an unencrypted PKCS#8 PEM): "
                + ErrorFormatter.rootMessage(e),
            e);
      }
      return NettyChannelBuilder.forTarget(target).sslContext(context).build();
    };
  }

  private static void requireReadable(Path file, String what) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new CliException(
          ExitCodes.UNAVAILABLE,
          "TLS: cannot read " + what + " file " + file + " (see --ca, --cert, --key, --state-dir)");
    }
  }
}
